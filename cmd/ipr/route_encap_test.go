package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestEncapArgsMatchIproute2 parses the command line of every request in
// rtm/testdata/golden_route (scripts/golden_route.sh) as "ipr route" and
// "ipr nexthop" parse "encap ...", and checks that each gives the
// encapsulation iproute2's request decodes to (rtm's own test checks that
// such values encode to iproute2's bytes).
func TestEncapArgsMatchIproute2(t *testing.T) {
	n := 0
	for _, c := range golden.Read(t, "../../rtm/testdata/golden_route/encap.txt") {
		t.Run(c.Name, func(t *testing.T) { checkEncapArgs(t, c.Cmd, c.Req, c.Links) })
		n++
	}
	if n < 30 {
		t.Fatalf("%d cases", n)
	}
}

func checkEncapArgs(t *testing.T, cmd string, req []byte, links map[string]int32) {
	m, _, _, err := wire.Next(req)
	if err != nil {
		t.Fatal(err)
	}
	var want []rtm.Encap
	if m.Header.Type == unix.RTM_NEWNEXTHOP {
		nh, err := rtm.NexthopFromBytes(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		e, err := nh.Tunnel()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	} else {
		r, err := rtm.RouteFromBytes(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if e, err := r.Tunnel(); err != nil || e != nil {
			want = append(want, e)
		}
		for hop := range r.NextHops() {
			e, err := hop.Tunnel()
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, e)
		}
	}
	words := strings.Fields(cmd)
	var got []rtm.Encap
	for i := 0; i < len(words); i++ {
		if words[i] != "encap" {
			continue
		}
		a := &args{list: words, i: i + 1}
		x, err := parseEncap(a)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		e, err := x.resolveWith(func(name string) (int32, error) { return links[name], nil })
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
		i = a.i - 1
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\nipr  %#v\nwant %#v", cmd, got, want)
	}
}

// TestEncapArgsErrors: what ip refuses, ipr refuses, before anything is
// sent.
func TestEncapArgsErrors(t *testing.T) {
	for _, c := range []string{
		"encap",
		"encap nope 1",
		"encap mpls",
		"encap mpls x/y",
		"encap mpls 100 ttl 1 ttl 2",
		"encap ip id x",
		"encap ip dst 2001:db8::1",
		"encap ip6 dst 192.0.2.1",
		"encap ip tos zz",
		"encap ila 1:2:3",
		"encap ila 1:2:3:4 csum-mode nope",
		"encap seg6 segs fc00::1",
		"encap seg6 mode nope segs fc00::1",
		"encap seg6 mode encap segs 10.0.0.1",
		"encap seg6local table 100",
		"encap seg6local action End.Nope",
		"encap seg6local action End flavors nope",
		"encap seg6local action End.B6 srh fc00::1",
		"encap ioam6 trace prealloc type 1 ns 1",
		"encap ioam6 freq 1-2 trace prealloc type 1 ns 1 size 4",
		"encap ioam6 mode sideways tundst fc00::1 trace prealloc type 1 ns 1 size 4",
		"encap xfrm link_dev p0",
		"encap bpf in obj x.o",
	} {
		words := strings.Fields(c)
		if _, err := parseEncap(&args{list: words, i: 1}); err == nil {
			t.Errorf("%q accepted", c)
		}
	}
}
