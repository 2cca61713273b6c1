package tcpmetrics_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/nltest"
)

// Listing what TCP remembers per destination, here over a conversation
// recorded on Linux 6.18 after two connections (drop WithTransport to ask
// the running kernel).
func Example() {
	ctx := context.Background()
	h, err := genl.Dial(genl.WithTransport(nltest.ReplayFile(filepath.Join("testdata", "conv", "metrics.nlconv"))))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	for e, err := range tcpmetrics.Dump(ctx, h) {
		if err != nil {
			fmt.Println(err)
			return
		}
		_, hasRTT := e.RTT()
		fmt.Println(e.Destination(), "from", e.Source(), "has an RTT:", hasRTT)
	}
	// Output:
	// fd78::2 from fd78::1 has an RTT: true
	// 10.78.0.2 from 10.78.0.1 has an RTT: true
}
