// Command netns opens the current network namespace with netns.
package main

import (
	"os"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/ipr-go/ipr/netns"
)

func main() {
	prog.Run(func([]string) error {
		h, err := netns.OpenPID(os.Getpid())
		if err != nil {
			return err
		}
		return h.Close()
	})
}
