package sync

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// anagrafeStore is a store that can adopt a prepared anagrafe
// (store.Store).
type anagrafeStore interface {
	Path() string
	HasCitizens(ctx context.Context) (bool, error)
	AdoptAnagrafe(ctx context.Context, file, scope string, seq int64) error
}

// The files of a prepared anagrafe's download, beside the cache: the
// compressed file as it arrives (kept across an interruption, so that the
// download resumes from where it stopped), the hub's description of it, and
// the decompressed file the store adopts.
const (
	anagrafePart = ".anagrafe.zst.part"
	anagrafeMeta = ".anagrafe.meta"
	anagrafeDB   = ".anagrafe.db"
)

// errByPages tells the first download to go by pages: the hub has no
// prepared file for this workstation, or the one it sent was refused.
var errByPages = errors.New("download by pages")

// prepared runs a first download as the comune's prepared anagrafe
// (hub/anagrafe.go): downloaded compressed, by ranges from where an
// interrupted download stopped, checked against the hub's description
// signed by the network's root key, decompressed as it arrives, then
// checked whole and adopted by the store in one transaction. errByPages
// when the download must go by pages instead (no file for this device, a
// file refused, a cache that already holds citizens); any other error
// stops the round, and the next one resumes.
func (c *Client) prepared(ctx context.Context, p *app.Profile) error {
	st, ok := c.store.(anagrafeStore)
	if !ok || c.opt.NoPreparedAnagrafe {
		return errByPages
	}
	if has, err := st.HasCitizens(ctx); err != nil {
		return err
	} else if has {
		return errByPages
	}
	base := st.Path()
	a, file, err := c.fetchAnagrafe(ctx, p, base)
	if err != nil {
		return err
	}
	c.update(func(s *app.SyncStatus) { s.Phase, s.Progress = "verifica dell'anagrafe scaricata", -1 })
	err = st.AdoptAnagrafe(ctx, file, p.Comune, a.Seq)
	switch app.ErrorCode(err) {
	case "":
		if err == nil {
			removeAnagrafeFiles(base)
			c.opt.Log.Info("anagrafe adopted from the hub's prepared file", "comune", p.Comune, "seq", a.Seq, "bytes", a.Size)
			return nil
		}
		removeAnagrafeDB(base)
		return err // the disk, the cache: not the file's fault
	case app.EINVALID, app.ECONFLICT:
		removeAnagrafeFiles(base)
		c.opt.Log.Warn("prepared anagrafe not adopted: download by pages", "reason", app.ErrorMessage(err))
		return errByPages
	default:
		removeAnagrafeDB(base)
		return err
	}
}

// sweepAnagrafeFiles removes what a prepared anagrafe's download left
// beside a cache that no longer needs it.
func (c *Client) sweepAnagrafeFiles() {
	if st, ok := c.store.(anagrafeStore); ok {
		removeAnagrafeFiles(st.Path())
	}
}

func removeAnagrafeFiles(base string) {
	os.Remove(base + anagrafePart)
	os.Remove(base + anagrafeMeta)
	removeAnagrafeDB(base)
}

// removeAnagrafeDB removes the decompressed file with the journal files
// SQLite kept beside it: a journal left there would be replayed into the
// next file decompressed under the same name.
func removeAnagrafeDB(base string) {
	for _, s := range []string{anagrafeDB, anagrafeDB + "-wal", anagrafeDB + "-shm"} {
		os.Remove(base + s)
	}
}

// fetchAnagrafe downloads the prepared file, or the rest of it, and
// decompresses it beside the cache; it returns the file's description and
// the decompressed file. errByPages when the hub has none for this device
// or sends one that does not match what the root key signed.
func (c *Client) fetchAnagrafe(ctx context.Context, p *app.Profile, base string) (wire.Anagrafe, string, error) {
	var known *wire.Anagrafe
	var have int64
	if b, err := os.ReadFile(base + anagrafeMeta); err == nil {
		if a, err := wire.ParseAnagrafe(strings.TrimSpace(string(b))); err == nil && a.Scope == p.Comune {
			if fi, err := os.Stat(base + anagrafePart); err == nil && fi.Size() < a.Size {
				known, have = &a, fi.Size()
			}
		}
	}
	if known == nil {
		removeAnagrafeFiles(base)
	}
	resp, err := c.getAnagrafe(ctx, p, known, have)
	if err != nil {
		if app.ErrorCode(err) == app.ENOTFOUND {
			removeAnagrafeFiles(base)
			return wire.Anagrafe{}, "", errByPages
		}
		return wire.Anagrafe{}, "", err
	}
	defer resp.Body.Close()
	a, err := wire.AnagrafeFromHeader(resp.Header)
	refuse := func(why string) (wire.Anagrafe, string, error) {
		removeAnagrafeFiles(base)
		c.opt.Log.Warn("prepared anagrafe refused: download by pages", "reason", why)
		return wire.Anagrafe{}, "", errByPages
	}
	switch {
	case err != nil:
		return refuse(err.Error())
	case a.Scope != p.Comune:
		return refuse("file of another comune " + a.Scope)
	case !a.Verify(ed25519.PublicKey(p.RootKey)):
		return refuse("signature not by the network's root key")
	}
	if resp.StatusCode == http.StatusPartialContent {
		if known == nil || a.SHA256 != known.SHA256 || !rangeFrom(resp.Header.Get("Content-Range"), have, a.Size) {
			return refuse("a part of another file")
		}
	} else {
		have = 0
		if err := writeFileSynced(base+anagrafeMeta, []byte(a.String()+"\n")); err != nil {
			return wire.Anagrafe{}, "", err
		}
	}
	if err := c.receiveAnagrafe(ctx, base, a, have, resp.Body); err != nil {
		if errors.Is(err, errByPages) {
			return refuse(err.Error())
		}
		return wire.Anagrafe{}, "", err
	}
	return a, base + anagrafeDB, nil
}

// getAnagrafe asks the hub for the prepared file, or for the rest of the
// known one after have bytes. Its client has no overall timeout (the file
// takes what the line takes), only the context; it shares the engine's
// connections and their pinned certificate.
func (c *Client) getAnagrafe(ctx context.Context, p *app.Profile, known *wire.Anagrafe, have int64) (*http.Response, error) {
	if err := checkScheme(p.HubURL); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.HubURL+"/v1/anagrafe?"+url.Values{"scope": {p.Comune}}.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header = c.http.Header.Clone() // the engine's: protocol, user agent
	req.Header.Set("Authorization", "Bearer "+p.Token)
	req.Header.Set("Accept-Encoding", "identity")
	if known != nil && have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
		req.Header.Set("If-Range", known.ETag())
	}
	hc := *c.http.GetClient()
	hc.Timeout = 0
	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.unreachable(ctx, p.HubURL, err)
	}
	if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusPartialContent {
		return resp, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
		// The part does not fit the file: start again by pages.
		return nil, app.Errorf(app.ENOTFOUND, "l'hub ha risposto %s", resp.Status)
	}
	var e wire.Error
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	return nil, hubRefusal(resp.StatusCode, resp.Status, &e)
}

// rangeFrom tells whether a Content-Range answers "bytes from-(size-1)/size".
func rangeFrom(v string, from, size int64) bool {
	return v == "bytes "+strconv.FormatInt(from, 10)+"-"+strconv.FormatInt(size-1, 10)+"/"+strconv.FormatInt(size, 10)
}

// receiveAnagrafe appends body to the part already received (have bytes),
// hashing and decompressing the whole file as it goes (what was received
// before is read back first), and checks the whole against a: errByPages
// (wrapped) when it does not match. The part survives an interruption
// that is not the file's fault.
func (c *Client) receiveAnagrafe(ctx context.Context, base string, a wire.Anagrafe, have int64, body io.Reader) error {
	part, err := os.OpenFile(base+anagrafePart, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer part.Close()
	if err := part.Truncate(have); err != nil {
		return err
	}
	removeAnagrafeDB(base) // decompressed again from the first byte
	h := sha256.New()
	pr, pw := io.Pipe()
	inflated := make(chan error, 1)
	go func() { inflated <- inflate(pr, base+anagrafeDB) }()
	fail := func(err error) error {
		pw.CloseWithError(err)
		<-inflated
		removeAnagrafeDB(base)
		return err
	}
	// What was received before, read back.
	if _, err := io.Copy(io.MultiWriter(h, pw), io.NewSectionReader(part, 0, have)); err != nil {
		return fail(err)
	}
	if _, err := part.Seek(have, io.SeekStart); err != nil {
		return fail(err)
	}
	got := have
	shown := int64(-1)
	progress := func() {
		if got>>20 == shown && got < a.Size {
			return // the bar moves by the megabyte
		}
		shown = got >> 20
		f := float64(got) / float64(a.Size)
		phase := fmt.Sprintf("scaricamento dell'anagrafe: %s di %s MB", megabytes(got), megabytes(a.Size))
		c.update(func(s *app.SyncStatus) { s.Phase, s.Progress, s.Done, s.Total = phase, f, 0, 0 })
	}
	progress()
	buf := make([]byte, 256<<10)
	out := io.MultiWriter(part, h, pw)
	for got < a.Size {
		n, rerr := body.Read(buf[:min(int64(len(buf)), a.Size-got)])
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return fail(err)
			}
			got += int64(n)
			progress()
		}
		if rerr == io.EOF && got < a.Size {
			return fail(app.Errorf(app.EOFFLINE, "scaricamento dell'anagrafe interrotto a %d di %d byte: riprende dal punto raggiunto", got, a.Size))
		}
		if rerr != nil && rerr != io.EOF {
			if ctx.Err() != nil {
				return fail(ctx.Err())
			}
			return fail(app.Errorf(app.EOFFLINE, "scaricamento dell'anagrafe interrotto a %d di %d byte: riprende dal punto raggiunto", got, a.Size))
		}
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != a.SHA256 {
		return fail(fmt.Errorf("%w: the file's hash is %s, not the signed %s", errByPages, sum, a.SHA256))
	}
	pw.Close()
	if err := <-inflated; err != nil {
		removeAnagrafeDB(base)
		return fmt.Errorf("%w: %v", errByPages, err)
	}
	return nil
}

// inflate decompresses r into the file at path.
func inflate(r io.Reader, path string) (err error) {
	defer func() {
		if err != nil {
			io.Copy(io.Discard, r) // let the writer finish
		}
	}()
	zr, err := zstd.NewReader(bufio.NewReaderSize(r, 256<<10), zstd.WithDecoderConcurrency(2))
	if err != nil {
		return err
	}
	defer zr.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.Copy(bw, zr); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// writeFileSynced writes a small file whole, synced.
func writeFileSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// megabytes writes n bytes in MB as the counter reads numbers: 1.234,5.
func megabytes(n int64) string {
	whole, tenth := n/1_000_000, n%1_000_000/100_000
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	return b.String() + "," + strconv.FormatInt(tenth, 10)
}
