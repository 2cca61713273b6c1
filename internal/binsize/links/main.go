// Command links lists the links of the current namespace with rtm: the
// program whose size issue 10 compares against the peers'.
package main

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/ipr-go/ipr/rtm"
)

func main() { prog.Run(list) }

func list([]string) error {
	h, err := rtm.Dial()
	if err != nil {
		return err
	}
	defer h.Close()
	for l, err := range h.Links(context.Background(), nil) {
		if err != nil {
			return err
		}
		fmt.Println(l.Index(), l.Name())
	}
	return nil
}
