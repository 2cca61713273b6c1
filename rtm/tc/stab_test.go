package tc_test

import (
	"bytes"
	"testing"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

func withStab(s tc.QdiscSpec, st tc.SizeTable) tc.QdiscSpec {
	s.Stab = &st
	return s
}

func sfqRED(o tc.SFQ, r tc.SFQRED) *tc.SFQ {
	if err := o.SetRED(r); err != nil {
		panic(err)
	}
	return &o
}

// stabFixtures are qdiscs with size tables and sfq's RED options, checked
// against tc's bytes as the other fixtures are.
var stabFixtures = []fixture{
	{name: "stab-overhead", args: "qdisc add dev p0 root handle 1: stab overhead 20 pfifo limit 10",
		req: tc.QdiscAdd(withStab(root1(&tc.FIFO{Name: "pfifo", Limit: 10}), tc.SizeTable{Overhead: 20}))},
	{name: "stab-atm", args: "qdisc add dev p0 root handle 1: stab overhead 8 linklayer atm mpu 64 pfifo limit 10",
		req: tc.QdiscAdd(withStab(root1(&tc.FIFO{Name: "pfifo", Limit: 10}), tc.SizeTable{Overhead: 8, Linklayer: tc.LinklayerATM, MPU: 64}))},
	{name: "stab-mtu", args: "qdisc add dev p0 root stab linklayer adsl mtu 1500 tsize 128 bfifo limit 10000",
		req: tc.QdiscAdd(withStab(root(&tc.FIFO{Name: "bfifo", Limit: 10000}), tc.SizeTable{Linklayer: tc.LinklayerATM, MTU: 1500, TSize: 128}))},
	{name: "stab-negative", args: "qdisc replace dev p0 root stab overhead -4 mpu 100 linklayer ethernet pfifo",
		req: tc.QdiscReplace(withStab(root(&tc.FIFO{Name: "pfifo"}), tc.SizeTable{Overhead: -4, MPU: 100, Linklayer: tc.LinklayerEthernet}))},
	{name: "sfq-red", args: "qdisc add dev p0 root sfq limit 127 redflowlimit 100000 min 8000 max 60000 probability 0.2 ecn headdrop",
		req: tc.QdiscAdd(root(sfqRED(tc.SFQ{Limit: 127, HeadDrop: true}, tc.SFQRED{Limit: 100000, Min: 8000, Max: 60000, Probability: 0.2, Flags: tc.REDECN})))},
	{name: "sfq-red-defaults", args: "qdisc add dev p0 root sfq redflowlimit 40000 harddrop",
		req: tc.QdiscAdd(root(sfqRED(tc.SFQ{}, tc.SFQRED{Limit: 40000, Flags: tc.REDHardDrop})))},
	{name: "sfq-red-full", args: "qdisc add dev p0 root sfq redflowlimit 200000 min 10000 max 50000 burst 20 avpkt 1500 probability 0.1",
		req: tc.QdiscAdd(root(sfqRED(tc.SFQ{}, tc.SFQRED{Limit: 200000, Min: 10000, Max: 50000, Burst: 20, Avpkt: 1500, Probability: 0.1})))},
}

func TestStabRequestsAsTC(t *testing.T) {
	checkFixtures(t, stabFixtures)
	// The size tables tc sent decode to settings that encode to tc's
	// bytes again.
	rec := readFixtures(t)
	for _, fx := range stabFixtures[:4] {
		q, err := tc.QdiscFromBytes(rec[fx.name].payload)
		if err != nil {
			t.Fatal(err)
		}
		st, ok := q.SizeTable()
		if !ok {
			t.Fatalf("%s: no size table in tc's bytes", fx.name)
		}
		opts, err := tc.QdiscOptionsOf(q)
		if err != nil {
			t.Fatal(err)
		}
		s := tc.QdiscSpec{Ifindex: q.Ifindex(), Parent: q.Parent(), Handle: q.Handle(), Options: opts.(tc.QdiscOptions), Stab: &st}
		var req rtm.Request = tc.QdiscAdd(s)
		if m := build(t, req); !bytes.Equal(m.Data, rec[fx.name].payload) {
			t.Errorf("%s: decoded and encoded again:\n%x\ntc:\n%x", fx.name, m.Data, rec[fx.name].payload)
		}
	}
}

// TestStabRefusesBadInput checks what is refused before sending.
func TestStabRefusesBadInput(t *testing.T) {
	for name, st := range map[string]tc.SizeTable{
		"empty":     {},
		"linklayer": {Linklayer: 7},
		"tsize":     {MPU: 1, TSize: 1 << 20},
	} {
		if _, err := buildErr(tc.QdiscAdd(withStab(root(&tc.FIFO{Name: "pfifo"}), st))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for name, r := range map[string]tc.SFQRED{
		"no limit":  {Min: 1},
		"max>limit": {Limit: 100, Max: 200},
		"min>=max":  {Limit: 100000, Min: 9000, Max: 9000},
		"flags":     {Limit: 100000, Flags: 0x80},
	} {
		var o tc.SFQ
		if err := o.SetRED(r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
