// Command hello is the baseline of scripts/binsize.sh: hello-world.
package main

import (
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
)

func main() {
	prog.Run(func([]string) error {
		fmt.Println("hello, world")
		return nil
	})
}
