package genl_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/tcpmetrics"
	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// tcpPeer makes the kernel of ns save TCP metrics: it listens on port
// 5555 of every address of the namespace's loopback, and connect opens
// and closes a connection to 127.0.0.n, whose end leaves an entry for
// destination 127.0.0.n (and one for 127.0.0.1 from source 127.0.0.n).
type tcpPeer struct {
	ns *nstest.NS
	ln net.Listener
	wg sync.WaitGroup
}

func listenTCP(t *testing.T, ns *nstest.NS) *tcpPeer {
	t.Helper()
	nstest.IP(t, ns, "link", "set", "lo", "up")
	p := &tcpPeer{ns: ns}
	err := netns.Do(ns.Handle, func() (err error) {
		p.ln, err = net.Listen("tcp4", "0.0.0.0:5555")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := p.ln.Accept()
			if err != nil {
				return
			}
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	t.Cleanup(func() { p.ln.Close(); p.wg.Wait() })
	return p
}

func (p *tcpPeer) connect(n int) error {
	return netns.Do(p.ns.Handle, func() error {
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.%d:5555", n), 30*time.Second)
		if err != nil {
			return err
		}
		_, err = c.Write([]byte("metrics"))
		c.Close()
		return err
	})
}

// TestHostileChurnTCPMetrics dumps TCP metrics while the namespace's TCP
// connections come and go and another handle deletes entries: every dump
// completes with each stable entry once, or fails with an error matching
// wire.ErrDumpInterrupted.
func TestHostileChurnTCPMetrics(t *testing.T) {
	nstest.Require(t, "genl:tcp_metrics")
	h, ns := dialHostile(t)
	ctx := hostileCtx(t)
	p := listenTCP(t, ns)
	var stable []string
	for n := 2; n <= 4; n++ {
		if err := p.connect(n); err != nil {
			t.Fatal(err)
		}
		stable = append(stable, fmt.Sprintf("127.0.0.%d 127.0.0.1", n))
	}
	dump := func() ([]string, error) {
		return hostile.Keys(tcpmetrics.Dump(ctx, h), func(e tcpmetrics.Entry) string {
			return e.Destination().String() + " " + e.Source().String()
		})
	}
	// The kernel saves an entry when its connection ends, after Close
	// returned: wait for the stable ones (boundedly).
	for i := 0; ; i++ {
		keys, err := dump()
		if err != nil {
			t.Fatal(err)
		}
		if hasAll(keys, stable) {
			break
		}
		if i == 1000 {
			t.Fatalf("the stable entries %v never came: %v", stable, keys)
		}
		time.Sleep(10 * time.Millisecond)
	}
	deleter, err := genl.Dial(genl.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer deleter.Close()
	stop := make(chan struct{})
	churned := make(chan error, 1)
	go func() {
		rounds := 0
		var cerr error
		defer func() { churned <- cerr }()
		for i := 0; ; i++ {
			select {
			case <-stop:
				if rounds == 0 {
					cerr = errors.New("no churn round")
				}
				return
			default:
			}
			n := 10 + i%40
			if cerr = p.connect(n); cerr != nil {
				return
			}
			if i >= 5 {
				old := netip.AddrFrom4([4]byte{127, 0, 0, byte(10 + (i-5)%40)})
				del, err := tcpmetrics.Delete(old, netip.Addr{})
				if err == nil {
					err = tcpmetrics.Do(ctx, deleter, del)
				}
				if err != nil && !errors.Is(err, unix.ESRCH) { // not saved yet
					cerr = err
					return
				}
			}
			if i%40 == 39 {
				rounds++
			}
		}
	}()
	interrupted, changing, i := 0, 0, 0
	// At least 300 dumps, and more until one saw the churn (boundedly).
	for ; i < 300 || (changing == 0 && i < 100000); i++ {
		keys, err := dump()
		if consistent(t, fmt.Sprintf("TCP metrics, dump %d", i), keys, err, stable) {
			interrupted++
		} else if len(keys) > 2*len(stable) {
			changing++
		}
	}
	close(stop)
	if err := <-churned; err != nil {
		t.Error(err)
	}
	if changing == 0 {
		t.Error("no dump saw a churned entry: the churn did not overlap the dumps")
	}
	t.Logf("%d dumps, %d interrupted, %d saw churned entries", i, interrupted, changing)
}

func hasAll(keys, want []string) bool {
	have := map[string]bool{}
	for _, k := range keys {
		have[k] = true
	}
	for _, k := range want {
		if !have[k] {
			return false
		}
	}
	return true
}
