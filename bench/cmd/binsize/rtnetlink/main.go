// Command rtnetlink lists the links of the current namespace with
// jsimonetti/rtnetlink: the peer version of internal/binsize/links.
package main

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/jsimonetti/rtnetlink/v2"
)

func main() { prog.Run(list) }

func list([]string) error {
	c, err := rtnetlink.Dial(nil)
	if err != nil {
		return err
	}
	defer c.Close()
	links, err := c.Link.List()
	if err != nil {
		return err
	}
	for _, l := range links {
		fmt.Println(l.Index, l.Attributes.Name)
	}
	return nil
}
