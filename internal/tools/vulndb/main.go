// Command vulndb turns the OSV entries of the Go vulnerability database, as
// the module golang.org/x/vulndb ships them (data/osv/GO-*.json), into a
// database in the layout govulncheck reads with -db file:///DIR:
//
//	DIR/index/db.json       {"modified": …}
//	DIR/index/modules.json  [{"path", "vulns": [{"id", "modified", "fixed"}]}]
//	DIR/ID/GO-YYYY-NNNN.json one OSV entry each
//
// CI reaches the Go module proxy but not the database's web host, so this
// is how `./do test` runs govulncheck: it downloads a pinned version of the
// module and builds the database from it.
//
//	go run ./internal/tools/vulndb -src MODULEDIR/data/osv -version VERSION -out DIR
//
// The entries in the module carry a zero "modified" time (the database's
// deploy job sets it from git history, which a module zip does not have);
// such entries get the time of the module's commit, read from its
// pseudo-version.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("vulndb", flag.ContinueOnError)
	src := fs.String("src", "", "folder of OSV entries (GO-*.json): data/osv of the module golang.org/x/vulndb")
	version := fs.String("version", "", "the module's version (a pseudo-version: its time stamps entries without one)")
	out := fs.String("out", "", "folder to write the database to (replaced)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *src == "" || *out == "" || *version == "" || fs.NArg() > 0 {
		return errors.New("usage: vulndb -src DIR -version VERSION -out DIR")
	}
	at, err := pseudoVersionTime(*version)
	if err != nil {
		return err
	}
	entries, err := readEntries(*src)
	if err != nil {
		return err
	}
	db, err := build(entries, at)
	if err != nil {
		return err
	}
	if err := write(*out, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d entries, %d modules, modified %s: %s\n", len(entries), db.modules, db.modified.Format(time.RFC3339), *out)
	return nil
}

var pseudoTime = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-(?:[0-9A-Za-z.-]+\.)?(?:0\.)?([0-9]{14})-[0-9a-f]{12}$`)

// pseudoVersionTime is the commit time a pseudo-version carries
// (v0.0.0-20261105234957-e22db6528018).
func pseudoVersionTime(v string) (time.Time, error) {
	m := pseudoTime.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, fmt.Errorf("version %q: not a pseudo-version (vX.Y.Z-YYYYMMDDHHMMSS-commit)", v)
	}
	t, err := time.Parse("20060102150405", m[1])
	if err != nil {
		return time.Time{}, fmt.Errorf("version %q: %w", v, err)
	}
	return t.UTC(), nil
}

// readEntries reads every *.json file of dir, by name.
func readEntries(dir string) (map[string][]byte, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no OSV entries (*.json)", dir)
	}
	entries := make(map[string][]byte, len(names))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		entries[filepath.Base(name)] = b
	}
	return entries, nil
}

// entry is what the index needs of an OSV entry.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
	} `json:"events"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

// database is the files to write, by path under the database's folder.
type database struct {
	files    map[string][]byte
	modified time.Time
	modules  int
}

var idPattern = regexp.MustCompile(`^GO-[0-9]{4}-[0-9]{4,}$`)

// build makes the database's files from the entries (file name → OSV JSON).
// An entry whose file name is not its ID, or that names no module, is an
// error: govulncheck would refuse the database, or miss the entry.
func build(entries map[string][]byte, at time.Time) (*database, error) {
	db := &database{files: make(map[string][]byte, len(entries)+2)}
	modules := map[string]*moduleMeta{}
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := entries[name]
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !idPattern.MatchString(e.ID) || name != e.ID+".json" {
			return nil, fmt.Errorf("%s: entry id %q: want a file named GO-YYYY-NNNN.json after its id", name, e.ID)
		}
		if e.Modified.IsZero() {
			e.Modified = at
			var err error
			if raw, err = setModified(raw, at); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		if e.Modified.After(db.modified) {
			db.modified = e.Modified
		}
		if len(e.Affected) == 0 {
			return nil, fmt.Errorf("%s: no affected module", name)
		}
		for _, a := range e.Affected {
			path := a.Package.Name
			if path == "" {
				return nil, fmt.Errorf("%s: an affected entry names no module", name)
			}
			m := modules[path]
			if m == nil {
				m = &moduleMeta{Path: path, Vulns: []moduleVuln{}}
				modules[path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: latestFix(a.Ranges)})
		}
		db.files["ID/"+e.ID+".json"] = raw
	}
	list := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	b, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	db.files["index/modules.json"] = b
	if b, err = json.Marshal(struct {
		Modified time.Time `json:"modified"`
	}{db.modified}); err != nil {
		return nil, err
	}
	db.files["index/db.json"] = b
	db.modules = len(list)
	return db, nil
}

// setModified rewrites an entry's "modified" field, keeping every other
// field as it was.
func setModified(raw []byte, at time.Time) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	t, err := json.Marshal(at)
	if err != nil {
		return nil, err
	}
	fields["modified"] = t
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fields); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// latestFix is the index's "fixed" of a module: the latest version that
// fixes the vulnerability, or "" when it was introduced again after that
// fix (then no version is known to be safe). govulncheck skips an entry
// for a module at or above this version without reading it, so it is
// computed exactly as x/vuln does (internal/semver.NonSupersededFix).
func latestFix(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// write replaces dir with the database.
func write(dir string, db *database) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, b := range db.files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// less reports whether semantic version v (with no "v" prefix, as OSV
// writes them) is lower than w; an invalid version, "" included, is lower
// than any valid one, as golang.org/x/mod/semver orders them.
func less(v, w string) bool {
	return compare(v, w) < 0
}

func compare(v, w string) int {
	pv, okv := parse(v)
	pw, okw := parse(w)
	switch {
	case !okv && !okw:
		return 0
	case !okv:
		return -1
	case !okw:
		return 1
	}
	for i := range 3 {
		if c := compareNumbers(pv.core[i], pw.core[i]); c != 0 {
			return c
		}
	}
	return comparePrerelease(pv.pre, pw.pre)
}

type semver struct {
	core [3]string
	pre  string // without its "-"; "" for a release
}

// parse splits MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], the forms
// golang.org/x/mod/semver accepts (a missing minor or patch is 0, with no
// pre-release then).
func parse(v string) (semver, bool) {
	var s semver
	if i := strings.IndexByte(v, '+'); i >= 0 {
		if !validIdents(v[i+1:], false) {
			return s, false
		}
		v = v[:i]
	}
	core := v
	if i := strings.IndexByte(v, '-'); i >= 0 {
		core, s.pre = v[:i], v[i+1:]
		if !validIdents(s.pre, true) {
			return s, false
		}
	}
	parts := strings.Split(core, ".")
	if len(parts) > 3 || (len(parts) < 3 && s.pre != "") {
		return s, false
	}
	for i := range s.core {
		s.core[i] = "0"
		if i < len(parts) {
			if !isNumber(parts[i]) {
				return s, false
			}
			s.core[i] = parts[i]
		}
	}
	return s, true
}

func isNumber(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validIdents checks dot-separated identifiers of [0-9A-Za-z-], non-empty;
// numeric ones of a pre-release have no leading zero.
func validIdents(s string, pre bool) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return false
		}
		digits := true
		for _, c := range id {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				digits = false
			default:
				return false
			}
		}
		if pre && digits && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// compareNumbers compares decimal numbers of any length, without leading zeros.
func compareNumbers(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// comparePrerelease orders pre-releases as semver 2.0.0 §11 says: a
// release is above any of its pre-releases; identifiers compare in turn,
// numbers numerically and below words; a shorter list that is a prefix is
// lower.
func comparePrerelease(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, y := as[i], bs[i]
		if x == y {
			continue
		}
		xn, yn := isNumber(x), isNumber(y)
		switch {
		case xn && yn:
			return compareNumbers(x, y)
		case xn:
			return -1
		case yn:
			return 1
		default:
			return strings.Compare(x, y)
		}
	}
	switch {
	case len(as) < len(bs):
		return -1
	case len(as) > len(bs):
		return 1
	}
	return 0
}
