package main

// The global options, parsed as iproute2 6.1's ip.c main() parses them.

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// globals holds the options that do not live in env: those that decide
// how the command line runs rather than what a command does.
type globals struct {
	batch string // -batch FILE
	force bool   // -force: a batch goes on after a failed command
	// -pretty and -color, which apply once every option is read.
	pretty bool
	color  colorOption
}

// parse reads the options in front of the object and returns the rest of
// the command line. The chain of tests is ip.c's, in its order, because
// the order decides what an abbreviation means: "-h" is -human, not
// -help; "-f" is -family, not -force; "-b" is -batch, not -brief.
func (g *globals) parse(e *env, args []string) ([]string, error) {
	return g.eachOption(e, args, func(opt string, args *[]string) error {
		// value consumes the argument of an option; ip prints its usage
		// when it is missing.
		value := func() (string, error) { return optionValue(args, errMainUsage) }
		switch {
		case matches(opt, "-loops"):
			// The number of "addr flush" rounds; ipr's flushes repeat
			// until nothing is left, so the value changes nothing.
			if _, err := value(); err != nil {
				return err
			}
		case matches(opt, "-family"):
			v, err := value()
			if err != nil {
				return err
			}
			if v == "help" {
				return errMainUsage
			}
			f, ok := readFamily(v)
			if !ok {
				return invarg("invalid protocol family", v)
			}
			e.Family = f
		case opt == "-4":
			e.Family = unix.AF_INET
		case opt == "-6":
			e.Family = unix.AF_INET6
		case opt == "-0":
			e.Family = unix.AF_PACKET
		case opt == "-M":
			e.Family = unix.AF_MPLS
		case opt == "-B":
			e.Family = unix.AF_BRIDGE
		case matches(opt, "-human"), matches(opt, "-human-readable"):
			e.Stats.human = true
		case matches(opt, "-iec"):
			e.Stats.iec = true
		case matches(opt, "-stats"), matches(opt, "-statistics"):
			e.Stats.level++
		case matches(opt, "-details"):
			e.Details = true
		case matches(opt, "-resolve"):
			resolveHosts, resolveCtx = true, e.ctx
		case matches(opt, "-oneline"):
			e.Oneline = true
		case matches(opt, "-timestamp"):
			// Time stamps apply to "ip monitor" only.
			e.Timestamp = true
		case matches(opt, "-tshort"):
			e.Timestamp, e.TimestampShort = true, true
		case matches(opt, "-Version"):
			fmt.Fprintf(e.Stdout, "ipr utility, %s\n", version())
			return errExit(0)
		case matches(opt, "-force"):
			g.force = true
		case matches(opt, "-batch"):
			v, err := value()
			if err != nil {
				return err
			}
			g.batch = v
		case matches(opt, "-brief"):
			e.Brief = true
		case matches(opt, "-json"):
			e.JSON = true
		case matches(opt, "-pretty"):
			g.pretty = true
		case matchesColor(opt) != colorNone:
			g.color = matchesColor(opt)
		case matches(opt, "-rcvbuf"):
			v, err := value()
			if err != nil {
				return err
			}
			// The socket buffer grows as the answers need; a size is
			// checked as ip checks it and otherwise changes nothing.
			if _, err := strconv.ParseUint(v, 0, 32); err != nil {
				return &cliError{code: 255, msg: fmt.Sprintf("Invalid rcvbuf size '%s'", v)}
			}
		case matches(opt, "-help"):
			return errMainUsage
		case matches(opt, "-netns"):
			// ip passes a missing name on as a null pointer.
			v, err := optionValue(args, &cliError{code: 255, msg: `Cannot open network namespace "(null)": No such file or directory`})
			if err != nil {
				return err
			}
			if err := e.openNetns(v); err != nil {
				return err
			}
		case matches(opt, "-Numeric"):
			numericNames = true
		case matches(opt, "-all"):
			e.All = true
		case opt == "-echo":
			e.Echo = true
		default:
			return &cliError{code: 255, msg: fmt.Sprintf("Option %q is unknown, try \"ipr -help\".", opt)}
		}
		return nil
	})
}

// eachOption is the loop of ip.c's and bridge.c's main: it calls one for
// each option in front of the object, which may take the option's value
// from *args (optionValue), and returns the rest of the command line.
// -pretty and -color apply after all options, as check_enable_color:
// -json turns color off wherever -color is.
func (g *globals) eachOption(e *env, args []string, one func(opt string, args *[]string) error) ([]string, error) {
	// A command line starts with -Numeric and -resolve off.
	numericNames, resolveHosts = false, false
	for {
		opt, ok := nextOption(&args)
		if !ok {
			break
		}
		if err := one(opt, &args); err != nil {
			return nil, err
		}
		args = args[1:]
	}
	e.Pretty = g.pretty
	e.palette = enableColor(g.color, e.JSON, e.Stdout)
	return args, nil
}

// nextOption returns the option at the head of *args as ip and bridge
// read it ("--json" is "-json"), or false at the first word that is not
// one; "--" ends the options and is consumed.
func nextOption(args *[]string) (string, bool) {
	if len(*args) == 0 {
		return "", false
	}
	opt := (*args)[0]
	if opt == "--" {
		*args = (*args)[1:]
		return "", false
	}
	if !strings.HasPrefix(opt, "-") {
		return "", false
	}
	if strings.HasPrefix(opt, "--") {
		opt = opt[1:]
	}
	return opt, true
}

// optionValue consumes the argument of the option at the head of *args,
// or fails with missing.
func optionValue(args *[]string, missing error) (string, error) {
	if len(*args) < 2 {
		return "", missing
	}
	*args = (*args)[1:]
	return (*args)[0], nil
}

// openNetns opens the namespace of -n, with ip's messages.
func (e *env) openNetns(name string) error {
	release(&e.ns)
	h, err := netns.Open(name)
	if err != nil {
		return &cliError{code: 255, msg: fmt.Sprintf("Cannot open network namespace %q: %s", name, strerror(err))}
	}
	e.ns, e.Netns = h, name
	return nil
}

type colorOption int

const (
	colorNone colorOption = iota // not a -color option
	colorAlways
	colorAuto
	colorNever
)

// matchesColor is iproute2's matches_color: -c[olor][=always|auto|never].
func matchesColor(opt string) colorOption {
	name, v, _ := strings.Cut(opt, "=")
	if !matches(name, "-color") {
		return colorNone
	}
	switch v {
	case "", "always":
		return colorAlways
	case "auto":
		return colorAuto
	case "never":
		return colorNever
	}
	return colorNone
}

// isTerminal reports whether w is a terminal, where -color=auto colours.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// version is the module version ipr was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return "ipr-" + bi.Main.Version
	}
	return "ipr (devel)"
}

// numericNames is -Numeric: protocols, scopes, tables, realms, groups,
// route types, DS fields, link types and IP protocols print as numbers,
// as iproute2's numeric makes rtnl_*_n2a print them. It is process-wide,
// as the name tables that read it are, and every command line's options
// set it afresh.
var numericNames bool

// errExit ends the command line with a status and no message.
type errExit int

func (e errExit) Error() string { return "exit status " + strconv.Itoa(int(e)) }
