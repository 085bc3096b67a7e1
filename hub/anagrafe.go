package hub

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync/wire"
)

// Prepared anagrafe files: a comune's whole download built once as the
// workstation's own cache file (with this module's store, so the schema is
// the workstation's by construction), compressed, and served to every new
// counter of the comune at GET /v1/anagrafe, which adopts it
// (store.AdoptAnagrafe) instead of inserting a million rows itself: the
// insert alone takes longer than a Milano download may (docs/BENCHMARKS.md,
// "Where the first download goes"). A comune without a file, a kiosk or a
// board downloads by pages as before.

// Prepared builds and keeps the prepared anagrafe files in a directory of
// the hub's own disk: each hub process its own (on PostgreSQL, two
// processes may hold files at different positions; a workstation pulls the
// changes after whichever it adopted).
type Prepared struct {
	dir string
	db  storage.Store
	log *slog.Logger

	// MinCitizens is the smallest comune Refresh prepares a file for: a
	// small one downloads by pages in a few seconds.
	MinCitizens int
	// MaxBehind is how many changes of the comune's log a file may lag
	// before Refresh builds a new one; MaxAge how old it may be.
	MaxBehind int64
	MaxAge    time.Duration

	mu       sync.Mutex
	files    map[string]*preparedFile // by comune, the newest built
	building map[string]bool
}

// preparedFile is a built file.
type preparedFile struct {
	wire.Anagrafe
	path  string
	built time.Time
}

// preparedName is a built file's name: comune, position, hash.
var preparedName = regexp.MustCompile(`^([A-Z][0-9]{3})-([0-9]{1,19})-([0-9a-f]{64})\.anagrafe\.zst$`)

// NewPrepared keeps the prepared files in dir (created if needed), taking
// on those a previous run built there whose content still matches their
// name (scan).
func NewPrepared(ctx context.Context, dir string, db storage.Store, log *slog.Logger) (*Prepared, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("prepared anagrafe: %w", err)
	}
	p := &Prepared{dir: dir, db: db, log: log, MinCitizens: 20000, MaxBehind: 20000, MaxAge: 24 * time.Hour,
		files: map[string]*preparedFile{}, building: map[string]bool{}}
	if err := p.scan(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// scan takes on the files of the directory not known yet whose content
// matches their name (another process, `sportello-hub prepare`, may have
// built them), keeping the newest of each comune; the others are removed,
// and so are builds that did not finish.
func (p *Prepared) scan(ctx context.Context) error {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return fmt.Errorf("prepared anagrafe: %w", err)
	}
	for _, e := range entries {
		path := filepath.Join(p.dir, e.Name())
		m := preparedName.FindStringSubmatch(e.Name())
		if m == nil {
			// A build that did not finish, left long ago; one in progress
			// (here or in another process) is left alone.
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > abandonedBuild && !p.isBuilding(e.Name()) {
				os.RemoveAll(path)
			}
			continue
		}
		old := p.newest(m[1])
		if old != nil && old.path == path {
			continue
		}
		seq, _ := strconv.ParseInt(m[2], 10, 64)
		if old != nil && old.Seq >= seq {
			continue // an older one: removed by the process that replaced it
		}
		sum, size, err := hashFile(path)
		if err != nil || sum != m[3] {
			p.log.Warn("prepared anagrafe file removed: its content does not match its name", "file", path, "err", err)
			os.Remove(path)
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		f := &preparedFile{Anagrafe: wire.Anagrafe{Scope: m[1], Seq: seq, SHA256: sum, Size: size}, path: path, built: info.ModTime()}
		if err := p.sign(ctx, f); err != nil {
			return err
		}
		p.mu.Lock()
		p.files[f.Scope] = f
		p.mu.Unlock()
		if old != nil {
			os.Remove(old.path)
		}
	}
	return nil
}

// abandonedBuild is how old a build's work folder is taken as abandoned.
const abandonedBuild = 6 * time.Hour

// isBuilding tells whether name is the work folder of a build in progress
// in this process.
func (p *Prepared) isBuilding(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.building {
		if strings.HasPrefix(name, c+"-building-") {
			return true
		}
	}
	return false
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func (p *Prepared) sign(ctx context.Context, f *preparedFile) error {
	root, err := p.db.RootKey(ctx)
	if err != nil {
		return fmt.Errorf("prepared anagrafe: %w", err)
	}
	f.Signature = ed25519.Sign(root, f.Statement())
	return nil
}

// current returns the comune's file if the hub can still serve the changes
// after its position, nil otherwise.
func (p *Prepared) current(ctx context.Context, comune string) *preparedFile {
	f := p.newest(comune)
	if f == nil {
		return nil
	}
	if _, err := p.db.Changes(ctx, comune, f.Seq, 1); err != nil {
		return nil // the log no longer reaches back to it (ERESNAPSHOT), or unreadable now
	}
	return f
}

// Build builds a new file for comune now, from the hub's download of it
// (every citizen and record, the operators), and makes it the one served;
// the one it replaces is removed. Builds of one comune take turns.
func (p *Prepared) Build(ctx context.Context, comune string) (wire.Anagrafe, error) {
	p.mu.Lock()
	if p.building[comune] {
		p.mu.Unlock()
		return wire.Anagrafe{}, app.Errorf(app.ECONFLICT, "l'anagrafe di %s è già in preparazione", comune)
	}
	p.building[comune] = true
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.building, comune)
		p.mu.Unlock()
	}()
	f, err := p.build(ctx, comune)
	if err != nil {
		return wire.Anagrafe{}, fmt.Errorf("prepare the anagrafe of %s: %w", comune, err)
	}
	p.mu.Lock()
	old := p.files[comune]
	p.files[comune] = f
	p.mu.Unlock()
	if old != nil && old.path != f.path {
		// A download of it in progress keeps reading the open file; one
		// resumed later is sent the new file whole (If-Range).
		os.Remove(old.path)
	}
	return f.Anagrafe, nil
}

func (p *Prepared) build(ctx context.Context, comune string) (*preparedFile, error) {
	work, err := os.MkdirTemp(p.dir, comune+"-building-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	cache := filepath.Join(work, "cache.db")
	st, err := store.Open(cache)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Checked(ctx); err != nil {
		return nil, err
	}
	var state *app.SnapshotState
	var asOf time.Time
	after := ""
	for {
		page, err := p.db.SnapshotFor(ctx, storage.View{}, comune, after, 5000)
		if err != nil {
			return nil, err
		}
		res := snapshotToWire(page)
		if res.Citizens, err = snapshotCitizens(page); err != nil {
			return nil, err
		}
		first := state == nil
		if first {
			state = &app.SnapshotState{Scope: comune, Seq: page.Seq, Total: page.Total, Started: page.AsOf}
			asOf = page.AsOf
		}
		pg, err := wire.SnapshotPageFromWire(comune, state.After, first, res)
		if err != nil {
			return nil, err
		}
		if pg.After == state.After && !page.Done {
			return nil, fmt.Errorf("the download of %s moved nowhere after %q", comune, after)
		}
		state.After = pg.After
		state.Done += len(pg.Citizens) + len(pg.Records)
		if err := st.PutSnapshotPage(ctx, *state, pg.Citizens, pg.Operators, pg.Records); err != nil {
			return nil, err
		}
		if page.Done {
			break
		}
		after = state.After
	}
	if err := st.FinishSnapshot(ctx, *state, asOf); err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	// The last connection checkpointed the WAL into the file and removed it.
	if _, err := os.Stat(cache + "-wal"); err == nil {
		return nil, errors.New("the built cache kept its WAL")
	}
	f := &preparedFile{Anagrafe: wire.Anagrafe{Scope: comune, Seq: state.Seq}, built: time.Now()}
	gz := filepath.Join(work, "anagrafe.zst")
	if f.SHA256, f.Size, err = compressFile(cache, gz); err != nil {
		return nil, err
	}
	f.path = filepath.Join(p.dir, fmt.Sprintf("%s-%d-%s.anagrafe.zst", comune, f.Seq, f.SHA256))
	if err := os.Rename(gz, f.path); err != nil {
		return nil, err
	}
	if err := p.sign(ctx, f); err != nil {
		os.Remove(f.path)
		return nil, err
	}
	p.log.Info("anagrafe prepared", "comune", comune, "seq", f.Seq, "citizens", state.Total, "bytes", f.Size)
	return f, nil
}

// compressFile writes src compressed with Zstandard (RFC 8878) to dst,
// synced, and returns the compressed file's SHA-256 and size. Zstandard
// rather than gzip: a Milano file decompresses in a fraction of gzip's
// time on the workstation (docs/BENCHMARKS.md), and is smaller.
func compressFile(src, dst string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", 0, err
	}
	defer out.Close()
	h := sha256.New()
	counted := &countWriter{w: io.MultiWriter(out, h)}
	zw, err := zstd.NewWriter(counted, zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return "", 0, err
	}
	if _, err := io.Copy(zw, in); err != nil {
		return "", 0, err
	}
	if err := zw.Close(); err != nil {
		return "", 0, err
	}
	if err := out.Sync(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), counted.n, out.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// Refresh builds the files that are missing or stale, for every comune of
// the network with at least MinCitizens residents, one after the other.
func (p *Prepared) Refresh(ctx context.Context) error {
	if err := p.scan(ctx); err != nil {
		return err
	}
	comuni, err := p.db.Comuni(ctx)
	if err != nil {
		return err
	}
	for _, c := range comuni {
		n, err := p.db.CountCitizens(ctx, c.Code)
		if err != nil {
			return err
		}
		if n < p.MinCitizens || !p.stale(ctx, c.Code) {
			continue
		}
		if _, err := p.Build(ctx, c.Code); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			return err
		}
	}
	return nil
}

// stale tells whether the comune needs a new file: none, too old, too far
// behind its change log, or behind what the log still keeps.
func (p *Prepared) stale(ctx context.Context, comune string) bool {
	f := p.newest(comune)
	if f == nil || time.Since(f.built) > p.MaxAge {
		return true
	}
	page, err := p.db.Changes(ctx, comune, f.Seq, 1) // ERESNAPSHOT: the log no longer reaches it
	return err != nil || page.Last-f.Seq > p.MaxBehind
}

// newest is the comune's newest file built, nil if none.
func (p *Prepared) newest(comune string) *preparedFile {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.files[comune]
}

// Run refreshes the files every interval until ctx ends; a failure is
// logged and tried again at the next interval.
func (p *Prepared) Run(ctx context.Context, every time.Duration) {
	for {
		if err := p.Refresh(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("prepared anagrafe not refreshed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// fullView tells whether a device of role downloads the comune whole, as
// the prepared file holds it (view.go): a kiosk and a board do not.
func fullView(role storage.DeviceRole) bool { return role == storage.RoleCounter }

// handleAnagrafe serves the device's comune's prepared file, by ranges,
// with its signed description; ENOTFOUND when there is none for it (the
// download goes by pages).
func (s *server) handleAnagrafe(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	scope, err := scopeFor(r, dev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var f *preparedFile
	if scope != app.ScopeNetwork && fullView(dev.Role) && s.prepared != nil {
		f = s.prepared.current(r.Context(), scope)
	}
	if f == nil {
		s.writeError(w, r, app.Errorf(app.ENOTFOUND, "nessuna anagrafe preparata per %s: scaricamento per pagine", scope))
		return
	}
	file, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		// Replaced by a newer one meanwhile: the device asks again.
		s.writeError(w, r, app.Errorf(app.ENOTFOUND, "anagrafe preparata sostituita: scaricamento per pagine"))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer file.Close()
	w.Header().Set(wire.HeaderAnagrafe, f.String())
	w.Header().Set("ETag", f.ETag())
	w.Header().Set("Content-Type", "application/zstd")
	w.Header().Set("Cache-Control", "no-store")
	// The whole file can take longer than the server's write timeout on a
	// slow line: this answer sets its own deadline, and a download cut
	// short resumes from where it stopped.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(AnagrafeWriteTimeout))
	http.ServeContent(w, r, "", time.Time{}, file)
}

// AnagrafeWriteTimeout bounds the sending of one prepared file (or the
// rest of it).
const AnagrafeWriteTimeout = 30 * time.Minute
