package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// TestBackupCommands checks the command lines of backup and restore and
// what they tell the IT person; the store's side is tested on real files
// (store.TestBackupRestore) and the wiring end to end in the root package
// (TestCLIBackupRestore).
func TestBackupCommands(t *testing.T) {
	ctx := context.Background()
	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"backup"}, {"backup", "--out"}, {"backup", "--out", "a.db", "b.db"},
			{"restore"}, {"restore", "a.db", "b.db"}, {"restore", "--bogus", "a.db"},
		} {
			e, _ := env(t)
			e.Backup = func(context.Context, string) error { t.Fatal("backup ran"); return nil }
			e.Restore = func(context.Context, string) (*Restored, error) { t.Fatal("restore ran"); return nil, nil }
			if err := Run(ctx, e, args); cmdline.ExitCode(err) != cmdline.ExitUsage {
				t.Errorf("%v: exit %d (%v), want 2", args, cmdline.ExitCode(err), err)
			}
		}
	})
	t.Run("BackupOfNoWorkstation", func(t *testing.T) {
		e, _ := env(t)
		e.Backup = func(context.Context, string) error { t.Fatal("backup ran"); return nil }
		err := Run(ctx, e, []string{"backup", "--out", "a.db"})
		if cmdline.ExitCode(err) != cmdline.ExitRefused || app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("exit %d, %v: want 1, ENOTFOUND", cmdline.ExitCode(err), err)
		}
	})
	t.Run("Backup", func(t *testing.T) {
		e, out := env(t)
		e.Exists = func() bool { return true }
		var got string
		e.Backup = func(_ context.Context, file string) error { got = file; return nil }
		if err := Run(ctx, e, []string{"backup", "--out", "/backup/postazione.db"}); err != nil {
			t.Fatal(err)
		}
		if got != "/backup/postazione.db" || out.String() != "backup fatto e controllato: /backup/postazione.db\n" {
			t.Errorf("backup of %q, said %q", got, out)
		}
	})
	t.Run("RestoreSaysWhatIsPending", func(t *testing.T) {
		e, out := env(t)
		e.Restore = func(_ context.Context, file string) (*Restored, error) {
			return &Restored{Aside: "/data/sportello.db.before-restore-X", Pending: 4, Parked: 1}, nil
		}
		if err := Run(ctx, e, []string{"restore", "b.db"}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"backup b.db ripristinato", "la copia di prima è in /data/sportello.db.before-restore-X",
			"operazioni da inviare all'hub: 4", "operazioni sospese: 1"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("restore output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("RestoreRefused", func(t *testing.T) {
		e, _ := env(t)
		e.Restore = func(context.Context, string) (*Restored, error) {
			return nil, app.Errorf(app.EINVALID, "il file b.db non è un backup utilizzabile")
		}
		if err := Run(ctx, e, []string{"restore", "b.db"}); cmdline.ExitCode(err) != cmdline.ExitRefused {
			t.Errorf("exit %d (%v), want 1", cmdline.ExitCode(err), err)
		}
	})
}
