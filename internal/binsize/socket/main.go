// Command socket opens a NETLINK_ROUTE socket with socket and closes it.
package main

import (
	"fmt"
	"os"

	"github.com/ipr-go/ipr/socket"
	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	c, err := socket.Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.Close())
}
