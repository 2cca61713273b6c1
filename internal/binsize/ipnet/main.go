// Command ipnet parses and prints an interface address with ipnet.
package main

import (
	"fmt"
	"os"

	"github.com/ipr-go/ipr/ipnet"
)

func main() {
	if len(os.Args) < 3 || os.Args[1] != "run" {
		return
	}
	i, err := ipnet.ParseInterface(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(i)
}
