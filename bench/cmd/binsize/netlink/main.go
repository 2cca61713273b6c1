// Command netlink lists the links of the current namespace with
// vishvananda/netlink: the peer version of internal/binsize/links.
package main

import (
	"fmt"
	"os"

	"github.com/vishvananda/netlink"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	links, err := netlink.LinkList()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, l := range links {
		fmt.Println(l.Attrs().Index, l.Attrs().Name)
	}
}
