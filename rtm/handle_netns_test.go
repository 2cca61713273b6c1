package rtm_test

import (
	"testing"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
)

// TestOpenNetns opens the namespace of a handle dialled into a named
// namespace, and of one dialled without a namespace option.
func TestOpenNetns(t *testing.T) {
	h, ns := handle(t)
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

// TestHandleNetns: a handle reports the namespace it works in, with or
// without a namespace option.
func TestHandleNetns(t *testing.T) {
	h, ns := handle(t)
	id, err := h.Netns()
	if err != nil || id != ns.Handle.ID() {
		t.Fatalf("Netns %v, want %v: %v", id, ns.Handle.ID(), err)
	}
	self, err := netns.Current()
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	if id == self.ID() {
		t.Fatal("a handle in a namespace reports the process's own")
	}
	plain, err := rtm.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if id, err := plain.Netns(); err != nil || id != self.ID() {
		t.Fatalf("Netns of a handle without a namespace %v, want %v: %v", id, self.ID(), err)
	}
}
