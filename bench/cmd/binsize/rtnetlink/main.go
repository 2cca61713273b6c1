// Command rtnetlink lists the links of the current namespace with
// jsimonetti/rtnetlink: the peer version of internal/binsize/links.
package main

import (
	"fmt"
	"os"

	"github.com/jsimonetti/rtnetlink/v2"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	c, err := rtnetlink.Dial(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer c.Close()
	links, err := c.Link.List()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, l := range links {
		fmt.Println(l.Index, l.Attributes.Name)
	}
}
