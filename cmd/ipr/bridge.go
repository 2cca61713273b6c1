package main

// The bridge command: iproute2 6.1's bridge(8), run as "ipr bridge ..."
// or by a link to ipr named "bridge" (argv[0]), with bridge's own global
// options, objects (bridge.c's cmds[], in its order) and messages.

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

const bridgeUsage = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`

// bridgeObjects are bridge.c's cmds[] in its order. The objects of bridge
// that ipr does not implement fail by name.
var bridgeObjects = [...]object{
	{name: "link", help: "link", prog: "bridge", usage: bridgeLinkUsage, verbs: bridgeLinkVerbs[:]},
	{name: "fdb", help: "fdb", prog: "bridge", usage: fdbUsage, verbs: fdbVerbs[:]},
	{name: "mdb", help: "mdb", prog: "bridge", usage: bridgeMDBUsage, verbs: bridgeMDBVerbs[:]},
	{name: "vlan", help: "vlan", prog: "bridge", usage: bridgeVLANUsage, verbs: bridgeVLANVerbs[:]},
	{name: "vni", help: "vni", prog: "bridge", usage: bridgeVNIUsage, verbs: bridgeVNIVerbs[:]},
	{name: "monitor", help: "monitor", prog: "bridge", run: bridgeMonitor},
	{name: "help", prog: "bridge"},
}

// runBridge runs a bridge command line (without "bridge" itself) and
// returns the exit status, reporting its failure.
func runBridge(e *env, args []string) int {
	var g globals
	rest, err := g.parseBridge(e, args)
	if err != nil {
		return report(e.Stderr, err)
	}
	if g.batch != "" {
		return runBatch(e, g.batch, g.force, doBridgeCmd)
	}
	if len(rest) == 0 {
		return report(e.Stderr, usageText(bridgeUsage))
	}
	// bridge's main returns its command's -1 for every failure, the
	// kernel's refusals included: exit status 255.
	// An errExit (get_addr's exit(1), a monitor's end) keeps its status.
	err = doBridgeCmd(e, rest)
	var exit errExit
	if code := report(e.Stderr, err); code != 0 && !errors.As(err, &exit) {
		return exitUsage
	} else if code != 0 {
		return code
	}
	return 0
}

// errAnyAddr is get_addr of any family failing on v in a bridge command:
// its message, and its exit(1), which bridge's main does not turn into
// 255 as it does its commands' failures.
func errAnyAddr(e *env, v string) error {
	fmt.Fprintf(e.Stderr, "Error: any valid address is expected rather than %q.\n", v)
	return errExit(exitFailure)
}

// doBridgeCmd is bridge.c's do_cmd.
func doBridgeCmd(e *env, argv []string) error {
	for i := range bridgeObjects {
		o := &bridgeObjects[i]
		if !matches(argv[0], o.name) {
			continue
		}
		switch {
		case o.name == "help":
			return usageText(bridgeUsage)
		case o.run == nil && o.verbs == nil:
			return notImplemented(`"bridge ` + o.name + `"`)
		}
		return o.dispatch(e, argv)
	}
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Object %q is unknown, try \"bridge help\".", argv[0])}
}

// parseBridge reads bridge's global options, in bridge.c's order.
func (g *globals) parseBridge(e *env, args []string) ([]string, error) {
	// bridge has neither -Numeric nor -resolve: eachOption turns them off,
	// and "ipr -N bridge ..." prints as bridge does.
	return g.eachOption(e, args, func(opt string, args *[]string) error {
		value := func() (string, error) { return optionValue(args, usageText(bridgeUsage)) }
		switch {
		case matches(opt, "-help"):
			return usageText(bridgeUsage)
		case matches(opt, "-Version"):
			fmt.Fprintf(e.Stdout, "bridge utility, %s\n", version())
			return errExit(0)
		case matches(opt, "-stats"), matches(opt, "-statistics"):
			e.Stats.level++
		case matches(opt, "-details"):
			e.Details = true
		case matches(opt, "-oneline"):
			e.Oneline = true
		case matches(opt, "-timestamp"):
			e.Timestamp = true
		case matches(opt, "-family"):
			v, err := value()
			if err != nil {
				return err
			}
			switch v {
			case "inet":
				e.Family = unix.AF_INET
			case "inet6":
				e.Family = unix.AF_INET6
			case "help":
				return usageText(bridgeUsage)
			default:
				return invarg("invalid protocol family", v)
			}
		case opt == "-4":
			e.Family = unix.AF_INET
		case opt == "-6":
			e.Family = unix.AF_INET6
		case matches(opt, "-netns"):
			v, err := optionValue(args, errIncomplete)
			if err != nil {
				return err
			}
			if err := e.openNetns(v); err != nil {
				return err
			}
		case matchesColor(opt) != colorNone:
			g.color = matchesColor(opt)
		case matches(opt, "-compressvlans"):
			// Applies to "bridge vlan", which ipr does not implement.
		case matches(opt, "-force"):
			g.force = true
		case matches(opt, "-json"):
			e.JSON = true
		case matches(opt, "-pretty"):
			g.pretty = true
		case matches(opt, "-batch"):
			v, err := value()
			if err != nil {
				return err
			}
			g.batch = v
		default:
			return &cliError{code: exitUsage, msg: fmt.Sprintf("Option %q is unknown, try \"bridge help\".", opt)}
		}
		return nil
	})
}
