// Command hello is the baseline of scripts/binsize.sh: hello-world.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "run" {
		fmt.Println("hello, world")
	}
}
