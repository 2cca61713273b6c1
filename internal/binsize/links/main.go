// Command links lists the links of the current namespace with rtm: the
// program whose size issue 10 compares against the peers'.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ipr-go/ipr/rtm"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	h, err := rtm.Dial()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer h.Close()
	for l, err := range h.Links(context.Background(), nil) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(l.Index(), l.Name())
	}
}
