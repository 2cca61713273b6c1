// Package prog is the frame shared by the programs scripts/binsize.sh
// measures, hello-world included, so that the size each adds over hello is
// what its imports cost and nothing else.
package prog

import (
	"fmt"
	"os"
)

// Run calls work with the remaining arguments when the program's first
// argument is "run", and does nothing otherwise: the script only builds
// the programs, and a run is there for a person to check that one works.
// An error from work is printed to standard error, and the program exits
// with status 1.
func Run(work func(args []string) error) {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	if err := work(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
