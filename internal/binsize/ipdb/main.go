// Command ipdb opens an rtm/ipdb database of the current namespace and
// prints how many links it holds.
package main

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/internal/binsize/prog"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
)

func main() { prog.Run(count) }

func count([]string) error {
	h, err := rtm.Dial()
	if err != nil {
		return err
	}
	defer h.Close()
	db, err := ipdb.Open(context.Background(), h)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Println(len(db.Snapshot().Links()))
	return nil
}
