package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sportello/sportello/hub/demo"
)

// binaries are the two programs under test, built once.
type binaries struct{ dir string }

func (b binaries) path(name string) string { return filepath.Join(b.dir, name) }

// build compiles the workstation and the hub into dir from the module at
// root.
func build(ctx context.Context, root, dir string) (binaries, error) {
	for pkg, name := range map[string]string{".": "sportello", "./cmd/sportello-hub": "sportello-hub"} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return binaries{}, fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return binaries{dir}, nil
}

// moduleRoot is the folder of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run from the module")
		}
		dir = parent
	}
}

// outcome is one finished command.
type outcome struct {
	out, err string
	code     int  // exit status; -1 when killed
	killed   bool // SIGKILLed by the harness
}

// runCmd runs a binary; killAfter > 0 SIGKILLs it after that long if it
// is still running. env adds to the harness's environment, after the demo
// operators' password: a command that records something logs its operator
// in (SPORTELLO_PASSWORD), as a script at a counter does.
func runCmd(ctx context.Context, bin string, env []string, killAfter time.Duration, args ...string) outcome {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(append(os.Environ(), "SPORTELLO_PASSWORD="+demo.Password), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		return outcome{err: err.Error(), code: -1}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	killed := false
	if killAfter > 0 {
		select {
		case err = <-done:
		case <-time.After(killAfter):
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			err = <-done
		}
	} else {
		err = <-done
	}
	o := outcome{out: out.String(), err: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
		// A command that finished before the kill landed is not killed.
		killed = false
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
		if ee.ExitCode() >= 0 {
			killed = false
		}
	default:
		o.code = -1
		o.err += err.Error()
	}
	o.killed = killed
	if o.killed {
		o.code = -1
	}
	return o
}

// hubProc is a running `sportello-hub serve`.
type hubProc struct {
	cmd  *exec.Cmd
	addr string
	logs bytes.Buffer
	done chan struct{}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startHub serves the hub of data on a free port and waits for its health
// answer.
func startHub(b binaries, data string) (*hubProc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	h := &hubProc{addr: addr, done: make(chan struct{})}
	h.cmd = exec.Command(b.path("sportello-hub"), "serve", "--data", data, "--addr", addr)
	h.cmd.Stderr = &h.logs
	if err := h.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { h.cmd.Wait(); close(h.done) }()
	client := http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := client.Get("http://" + addr + "/v1/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return h, nil
		}
		select {
		case <-h.done:
			return nil, fmt.Errorf("hub exited at start: %s", h.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			h.kill()
			return nil, fmt.Errorf("hub did not start: %v", err)
		}
	}
}

// kill ends the hub with SIGKILL: no orderly shutdown.
func (h *hubProc) kill() {
	h.cmd.Process.Signal(syscall.SIGKILL)
	<-h.done
}

// stop ends the hub as an operator would (SIGINT).
func (h *hubProc) stop() {
	h.cmd.Process.Signal(os.Interrupt)
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		h.kill()
	}
}

// copyDir copies the regular files of src into dst (one level: a hub's
// or workstation's data folder).
func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// openRO opens a SQLite file read-only for the checks.
func openRO(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, db.Ping()
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
