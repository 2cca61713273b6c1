package rawnl

import (
	"bytes"
	"syscall"
	"testing"
)

// TestLayoutMatchesSyscall reads what Msg and Attr lay out with the
// standard library's own netlink parsers.
func TestLayoutMatchesSyscall(t *testing.T) {
	fixed := make([]byte, syscall.SizeofIfInfomsg)
	payload := append(fixed, append(Attr(syscall.IFLA_IFNAME, []byte("lo\x00")), Attr(syscall.IFLA_MTU, []byte{1, 2, 3, 4})...)...)
	b := append(Msg(syscall.RTM_NEWLINK, syscall.NLM_F_MULTI, 7, 42, payload), Msg(syscall.NLMSG_DONE, 0, 7, 42, []byte{1})...)
	if len(b)%4 != 0 {
		t.Fatalf("%d bytes, not padded to 4", len(b))
	}
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	h := msgs[0].Header
	if h.Type != syscall.RTM_NEWLINK || h.Flags != syscall.NLM_F_MULTI || h.Seq != 7 || h.Pid != 42 ||
		h.Len != uint32(syscall.NLMSG_HDRLEN+len(payload)) {
		t.Fatalf("header %+v", h)
	}
	if h := msgs[1].Header; h.Type != syscall.NLMSG_DONE || h.Len != syscall.NLMSG_HDRLEN+1 {
		t.Fatalf("second header %+v", h)
	}
	attrs, err := syscall.ParseNetlinkRouteAttr(&msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(attrs) != 2 || attrs[0].Attr.Type != syscall.IFLA_IFNAME || !bytes.Equal(attrs[0].Value, []byte("lo\x00")) ||
		attrs[1].Attr.Type != syscall.IFLA_MTU || attrs[1].Attr.Len != 8 || !bytes.Equal(attrs[1].Value, []byte{1, 2, 3, 4}) {
		t.Fatalf("attributes %+v", attrs)
	}
}
