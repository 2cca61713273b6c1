// Command socket opens a NETLINK_ROUTE socket with socket and closes it.
package main

import (
	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

func main() {
	prog.Run(func([]string) error {
		c, err := socket.Dial(unix.NETLINK_ROUTE, nil)
		if err != nil {
			return err
		}
		return c.Close()
	})
}
