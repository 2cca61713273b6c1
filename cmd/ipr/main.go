// Command ipr is an ip(8)-like command line over the ipr library.
//
// Usage:
//
//	ipr [-j] [-d] [-4|-6] [-n NETNS] OBJECT COMMAND [ARGS...]
//
// Each OBJECT (calc, link, addr, ...) lives in its own file and registers
// itself with register from an init function.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// env is what every object command receives: parsed global flags and the
// process's standard streams, so that commands are testable in-process.
type env struct {
	JSON    bool   // -j: JSON output
	Details bool   // -d: detailed output
	Netns   string // -n NETNS: run inside the named network namespace
	Family  uint8  // -4 or -6: unix.AF_INET or unix.AF_INET6, else 0
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

// object is one top-level word of the command line, such as "link".
type object struct {
	name  string
	usage string
	run   func(e *env, args []string) error
}

var objects = map[string]object{}

// register adds an object; called from init functions.
func register(o object) {
	if _, dup := objects[o.name]; dup {
		panic("ipr: object registered twice: " + o.name)
	}
	objects[o.name] = o
}

// errUsage asks main to print the usage text after the error.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	fs := flag.NewFlagSet("ipr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&e.JSON, "j", false, "JSON output")
	fs.BoolVar(&e.Details, "d", false, "detailed output")
	fs.StringVar(&e.Netns, "n", "", "network namespace `NAME`")
	fs.BoolFunc("4", "IPv4 only", e.setFamily(4))
	fs.BoolFunc("6", "IPv6 only", e.setFamily(6))
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		usage(stderr)
		return 2
	}
	o, ok := lookupObject(rest[0])
	if !ok {
		fmt.Fprintf(stderr, "ipr: unknown object %q\n", rest[0])
		usage(stderr)
		return 2
	}
	if err := o.run(e, rest[1:]); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "ipr: %v\nusage: ipr %s %s\n", err, o.name, o.usage)
			return 2
		}
		fmt.Fprintf(stderr, "ipr: %v\n", err)
		return 1
	}
	return 0
}

// lookupObject accepts any unambiguous prefix of an object name, as ip(8)
// accepts "l" for "link" and "a" for "addr".
func lookupObject(word string) (object, bool) {
	if o, ok := objects[word]; ok {
		return o, true
	}
	var found []object
	for name, o := range objects {
		if strings.HasPrefix(name, word) {
			found = append(found, o)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return object{}, false
}

func usage(w io.Writer) {
	names := make([]string, 0, len(objects))
	for name := range objects {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: ipr [-j] [-d] [-4|-6] [-n NETNS] OBJECT COMMAND [ARGS...]")
	fmt.Fprintln(w, "objects:")
	for _, name := range names {
		fmt.Fprintf(w, "  %s %s\n", name, objects[name].usage)
	}
}
