// Command netns opens the current network namespace with netns.
package main

import (
	"fmt"
	"os"

	"github.com/ipr-go/ipr/netns"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	h, err := netns.OpenPID(os.Getpid())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(h.Close())
}
