package socket_test

import (
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
)

func netnsDo(ns *nstest.NS, f func() error) error { return netns.Do(ns.Handle, f) }
