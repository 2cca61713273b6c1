// Command netlink lists the links of the current namespace with
// vishvananda/netlink: the peer version of internal/binsize/links.
package main

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/vishvananda/netlink"
)

func main() { prog.Run(list) }

func list([]string) error {
	links, err := netlink.LinkList()
	if err != nil {
		return err
	}
	for _, l := range links {
		fmt.Println(l.Attrs().Index, l.Attrs().Name)
	}
	return nil
}
