// Command iprbench benchmarks ipr against its peers side by side in one
// run: it creates a throwaway network namespace, fills it, runs every
// contestant's workload in a process of its own (so that peak RSS is the
// contestant's), checks that the contestants agree, and prints a markdown
// table of medians and ratios, which it also writes to RESULTS.md.
//
//	iprbench [-quick] [-out bench/RESULTS.md] [-only REGEXP]
//
// The subcommands child and gen are what iprbench runs in its children.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/ipr-go/ipr/bench/workload"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "child":
			exit(child(os.Args[2:]))
		case "gen":
			exit(gen(os.Args[2:]))
		}
	}
	exit(run(os.Args[1:]))
}

func exit(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "iprbench:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func sizesFor(quick bool) workload.Sizes {
	if quick {
		return workload.QuickSizes
	}
	return workload.FullSizes
}

// child runs one contestant's workload and prints its measurements as
// JSON on stdout.
func child(args []string) error {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	ns := fs.String("ns", "", "namespace")
	wl := fs.String("workload", "", "workload")
	contestant := fs.String("contestant", "", "contestant")
	reps := fs.Int("reps", 5, "repetitions")
	quick := fs.Bool("quick", false, "quick sizes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	env := &workload.Env{NS: *ns, Sizes: sizesFor(*quick)}
	if workload.NeedsInputs(*wl) {
		env.Inputs = workload.NewInputs(env.Sizes.Prefix)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	env.Generate = func(n int) error {
		return runQuiet(self, "gen", "-ns", *ns, "-n", strconv.Itoa(n))
	}
	ms, err := workload.Measure(env, *wl, *contestant, *reps)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(ms)
}

// gen makes the event workload's route changes.
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	ns := fs.String("ns", "", "namespace")
	n := fs.Int("n", 0, "route changes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return workload.GenerateEvents(*ns, *n)
}

// runQuiet runs a command, returning its standard error in the error.
func runQuiet(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return nil
}
