package xfrm_test

import (
	"context"
	"testing"
	"time"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/xfrm"
)

// ctx is a context that ends with the test, or after 20 seconds.
func ctx(t *testing.T) (c context.Context) {
	var cancel context.CancelFunc
	c, cancel = context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return
}

// dial opens a handle in a fresh namespace, where the kernel has XFRM
// netlink.
func dial(t *testing.T) (*nstest.NS, *xfrm.Handle) {
	ns := nstest.New(t)
	nstest.Require(t, "xfrm") // skips the test where it lacks it
	return ns, dialIn(t, ns)
}

// dialIn opens a handle in ns, closed when the test ends.
func dialIn(t *testing.T, ns *nstest.NS) *xfrm.Handle {
	h, err := xfrm.Dial(xfrm.WithNetnsHandle(ns.Handle))
	t.Cleanup(func() { h.Close() }) // a nil handle's Close does nothing
	if err != nil {
		t.Fatal(err)
	}
	return h
}
