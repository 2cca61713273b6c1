// Command ethtool prints the features of lo with genl/ethtool (what
// `ethtool -k lo` shows): the size a program using one generic-netlink
// family pays, which carries nothing of rtm or of other families.
package main

import (
	"context"
	"fmt"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/internal/binsize/prog"
)

func main() { prog.Run(features) }

func features([]string) error {
	h, err := genl.Dial()
	if err != nil {
		return err
	}
	defer h.Close()
	s, err := ethtool.GetFeatures(context.Background(), h, ethtool.Device{Name: "lo"})
	if err != nil {
		return err
	}
	for f := range s.All() {
		fmt.Println(f)
	}
	return nil
}
