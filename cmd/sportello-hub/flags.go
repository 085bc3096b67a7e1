package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sportello/sportello/internal/cmdline"
)

// command is one subcommand of sportello-hub, with its own flags. setup
// defines the flags on fs and returns the work, which reads them once
// they are parsed; fs.Args() holds what follows them.
type command struct {
	name     string // as typed: "serve", "payment online"
	synopsis string // what follows the name in the usage line
	summary  string // what it does, in a line or two
	// args is how many arguments may follow the flags: 0, 1, or -1 for
	// any number.
	args  int
	setup func(e *env, fs *flag.FlagSet) func(ctx context.Context) error
}

// parse reads cmd's flags from args. help is true when the user asked for
// the command's usage (-h, --help), which parse has printed on stdout.
// Every mistake is a one-line UsageError: exit status 2.
func (c *command) parse(fs *flag.FlagSet, args []string, stdout io.Writer) (help bool, err error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(stdout, fs)
			return true, nil
		}
		return false, cmdline.Usagef("%s: %s (sportello-hub %s --help per le opzioni)", c.name, flagError(err), c.name)
	}
	switch n := fs.NArg(); {
	case c.args == 0 && n > 0:
		return false, cmdline.Usagef("%s: argomento inatteso %q", c.name, fs.Arg(0))
	case c.args == 1 && n > 1:
		return false, cmdline.Usagef("%s: argomento inatteso %q", c.name, fs.Arg(1))
	}
	return false, nil
}

// flagError says in Italian what the flag package found wrong.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "opzione sconosciuta --" + strings.TrimPrefix(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "manca il valore di --" + strings.TrimPrefix(name, "-")
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// invalid value "x" for flag -name: reason
		if value, name, ok := strings.Cut(rest, " for flag -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return fmt.Sprintf("valore non valido %s per --%s", value, strings.TrimPrefix(name, "-"))
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if value, name, ok := strings.Cut(rest, " for -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return fmt.Sprintf("valore non valido %s per --%s", value, strings.TrimPrefix(name, "-"))
		}
	}
	if arg, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return "opzione scritta male: " + arg
	}
	return msg
}

// printUsage writes the command's usage line, what it does and each of
// its flags with its default, the way `sportello-hub CMD --help` shows
// them.
func (c *command) printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "uso: sportello-hub %s %s\n\n%s\n", c.name, c.synopsis, c.summary)
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) == 0 {
		return
	}
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	fmt.Fprintln(w, "\nopzioni:")
	for _, f := range flags {
		value, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if value != "" {
			line += " " + value
		}
		fmt.Fprintf(w, "%s\n      %s", line, usage)
		if def := f.DefValue; def != "" && def != "0" && def != "false" {
			fmt.Fprintf(w, " (predefinito: %s)", def)
		}
		fmt.Fprintln(w)
	}
}
