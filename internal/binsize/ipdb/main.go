// Command ipdb opens an rtm/ipdb database of the current namespace and
// prints how many links it holds.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		return
	}
	h, err := rtm.Dial()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer h.Close()
	db, err := ipdb.Open(context.Background(), h)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	fmt.Println(len(db.Snapshot().Links()))
}
