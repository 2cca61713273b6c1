package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestStabMatchesTC adds qdiscs with size tables with ipr and checks
// that tc and ipr show them the same, text and JSON, with details.
func TestStabMatchesTC(t *testing.T) {
	nstest.Require(t, "qdisc:pfifo", "qdisc:bfifo", "qdisc:htb")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "link", "add", "p2", "type", "veth", "peer", "name", "p3")
	iprSetup(t, ns,
		"qdisc add dev p0 root handle 1: stab overhead 8 linklayer atm mpu 64 pfifo limit 10",
		"qdisc add dev p1 root stab linklayer adsl mtu 1500 tsize 128 bfifo limit 10000",
		"qdisc add dev p2 root handle 2: stab overhead -4 htb default 1",
		"qdisc add dev p3 root stab mpu 100 linklayer ethernet pfifo")
	compareWithTC(t, ns, nil, "-d qdisc show", "-j -d qdisc show", "qdisc show", "-d -s qdisc show dev p0",
		"qdisc add dev p0 root stab pfifo", "qdisc add dev p0 root stab", "qdisc add dev p0 root stab mtu x pfifo")
}

// TestSFQREDPrint checks sfq's RED settings as q_sfq.c prints them
// (worked out from its sfq_print_opt: this kernel has no sfq to show
// them with tc).
func TestSFQREDPrint(t *testing.T) {
	o := &tc.SFQ{Limit: 127, Divisor: 1024, HeadDrop: true}
	if err := o.SetRED(tc.SFQRED{Limit: 100000, Min: 8000, Max: 60000, Probability: 0.2, Flags: tc.REDECN}); err != nil {
		t.Fatal(err)
	}
	var r rtnl.Req
	r.B = &wire.Builder{}
	r.B.Begin(unix.RTM_NEWQDISC, 0)
	r.B.Fixed(20)
	r.B.String(1, "sfq")
	if err := o.AppendOptions(&r); err != nil {
		t.Fatal(err)
	}
	r.B.End()
	q, err := tc.QdiscFromBytes(r.B.Bytes()[16:])
	if err != nil {
		t.Fatal(err)
	}
	for js, want := range map[bool]string{
		false: "limit 127p quantum 0b headdrop divisor 1024 ewma 6 min 8000b max 60000b probability 0.2 ecn ",
		true:  `{"limit":127,"quantum":0,"headdrop":true,"divisor":1024,"ewma":6,"min":8000,"max":60000,"probability":0.2,"ecn":true,"harddrop":false,"adaptive":false,"nodrop":false}`,
	} {
		p := &printer{json: js}
		p.openObject("")
		printSFQ(p, &env{JSON: js}, q)
		p.closeObject()
		if got := string(p.buf); got != want {
			t.Errorf("json %v:\n got %s\nwant %s", js, got, want)
		}
	}
}

// TestTCRawTextInJSON checks the text tc's printers fprintf in the middle
// of their JSON: as is with -j, and copied where json_writer's stream has
// it with -j -p (json_writer writes each separator lazily, before the
// next member, so that it lands after the text; tc 6.1's bpf action).
func TestTCRawTextInJSON(t *testing.T) {
	for _, c := range []struct {
		pretty bool
		want   string
	}{
		{false, "{\"a\":1\n x\x01,\"b\":\"c\"}"},
		{true, "{\n    \"a\": 1\n x\x01,\n    \"b\": \"c\"\n}"},
	} {
		var out strings.Builder
		e := &env{JSON: true, Pretty: c.pretty, Stdout: &out}
		p := &printer{json: true}
		p.openObject("")
		p.uint("a", "%d", 1)
		p.raw("\n x\x00\x01")
		p.str("b", "%s", "c")
		p.closeObject()
		if err := e.output(p); err != nil || out.String() != c.want {
			t.Errorf("pretty %v: %q, %v; want %q", c.pretty, out.String(), err, c.want)
		}
	}
}
