// Command gen generates ipr's static schema data.
//
//	gen rtnl [-in DIR] [-out DIR] [-check]
//	gen ynl -spec FILE -out DIR [-pkg NAME] [-consts] [-ops] [-check]
//
// rtnl writes rtm/zschema_*.go from the pyroute2 extract and the uapi
// headers committed under rtnl/ (see rtnl.go). ynl writes the constants
// and attribute-set schemas of one YNL family spec (see ynl.go), and with
// -ops its typed views, encoders and requests (see ynl_ops.go). With
// -check nothing is written: gen exits 1, naming the files, when the
// committed ones differ from what it would write.
//
// Paths default to the layout of the repository with the working directory
// at tools/gen, which is where scripts/gen.sh and the tests run it.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "rtnl":
		err = runRTNL(os.Args[2:])
	case "ynl":
		err = runYNL(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gen rtnl [-in DIR] [-out DIR] [-check]\n       gen ynl -spec FILE -out DIR [-pkg NAME] [-consts] [-ops] [-check]")
	os.Exit(2)
}

func runRTNL(args []string) error {
	fs := flag.NewFlagSet("rtnl", flag.ExitOnError)
	in := fs.String("in", "rtnl", "directory with pyroute2.json and include/")
	out := fs.String("out", "../../rtm", "directory to write zschema_*.go into")
	check := fs.Bool("check", false, "compare with the files in -out instead of writing")
	verbose := fs.Bool("v", false, "print the notes (pyroute2 and header disagreements)")
	fs.Parse(args)
	files, notes, err := genRTNL(*in)
	if err != nil {
		return err
	}
	if *verbose {
		for _, n := range notes {
			fmt.Fprintln(os.Stderr, "note:", n)
		}
	}
	return writeOrCheck(*out, files, *check, "zschema_*.go")
}
