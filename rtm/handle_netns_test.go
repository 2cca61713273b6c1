package rtm_test

import (
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
)

// TestOpenNetns opens the namespace of a handle dialled into a named
// namespace, and of one dialled without a namespace option.
func TestOpenNetns(t *testing.T) {
	ns := nstest.New(t)
	h, err := rtm.Dial(rtm.WithNetns(ns.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	got, err := h.OpenNetns()
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want, err := netns.Open(ns.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	if !got.Equal(want) {
		t.Fatalf("OpenNetns: %v, want %v", got.ID(), want.ID())
	}

	here, err := rtm.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer here.Close()
	mine, err := here.OpenNetns()
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	cur, err := netns.Current()
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	if !mine.Equal(cur) || mine.Equal(want) {
		t.Fatalf("OpenNetns without a namespace: %v, want %v", mine.ID(), cur.ID())
	}
}
