// Command ipnet parses and prints an interface address with ipnet.
package main

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/ipr-go/ipr/ipnet"
)

func main() { prog.Run(parse) }

func parse(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: ipnet run ADDRESS/PREFIX")
	}
	i, err := ipnet.ParseInterface(args[0])
	if err != nil {
		return err
	}
	fmt.Println(i)
	return nil
}
