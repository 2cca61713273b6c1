package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// actParseGolden holds what parseAction makes of actParseLines: the kind's
// options as JSON, the action's index and control, the words it left and
// its error. The parsers of these kinds have no tc capture to compare
// with (the kernel under test lacks some kinds), so the golden keeps
// their behaviour, errors and abbreviations included, from changing
// unnoticed; IPR_ACTPARSE_WRITE=1 rewrites it after a deliberate change.
const actParseGolden = "testdata/tcactparse.txt"

// actParseLines are action command lines: kind first.
var actParseLines = []string{
	"skbedit queue_mapping 3", "skbedit queue 3", "skbedit queue_mapping x", "skbedit queue_mapping", "skbedit q 70000",
	"skbedit priority 1:1", "skbedit prio 1:1", "skbedit priority zz", "skbedit mark 5", "skbedit mark 5/0xff", "skbedit mark x", "skbedit mark 5/x", "skbedit ma 5/7",
	"skbedit ptype host", "skbedit ptype broad", "skbedit ptype multicast", "skbedit ptype other", "skbedit ptype x", "skbedit pt host",
	"skbedit inheritdsfield", "skbedit inh", "skbedit", "skbedit pipe", "skbedit mark 1 queue_mapping 2 pipe index 4", "skbedit mark 1 foo",
	"vlan pop", "vlan push id 5", "vlan push id 5 protocol 802.1ad priority 3", "vlan push id 5 priority 9", "vlan push id x", "vlan push i 5 pro 802.1Q pri 2",
	"vlan modify id 7 protocol bogus", "vlan pop_eth", "vlan push_eth dst_mac 00:11:22:33:44:55 src_mac 66:77:88:99:aa:bb", "vlan push_eth dst 00:11:22:33:44:55", "vlan push_eth src_mac zz",
	"vlan push_eth dst_mac", "vlan frob", "vlan", "vlan push id 5 drop", "vlan push id",
	"tunnel_key unset", "tunnel_key set src_ip 1.1.1.1 dst_ip 2.2.2.2 id 7 dst_port 4789", "tunnel_key set src 1.1.1.1 dst ::1", "tunnel_key set src_ip x",
	"tunnel_key set id x", "tunnel_key set id 5 tos 3 ttl 64", "tunnel_key set to 3 tt 9", "tunnel_key set tos 300", "tunnel_key set ttl x",
	"tunnel_key set geneve_opts 0102:80:00880022,0102:81:0011", "tunnel_key set geneve_opts 1:2", "tunnel_key set geneve_opts 1:2:3", "tunnel_key set csum", "tunnel_key set nocsum nofrag",
	"tunnel_key set nofr", "tunnel_key set dst_port x", "tunnel_key set dst_port", "tunnel_key set id 1 pass index 3",
	"csum iph icmp igmp tcp udp udplite sctp", "csum ip4h and udp", "csum ipv4h or tcp + udp", "csum i", "csum", "csum tcp drop",
	"sample rate 100 group 5 trunc 64", "sample r 10 g 2 t 3", "sample rate x", "sample rate", "sample rate 1 pipe",
	"mpls pop protocol ip", "mpls push label 100 tc 3 ttl 64 bos 1", "mpls push label 2000000", "mpls push label x", "mpls modify tc 8", "mpls modify ttl 256", "mpls modify bos 2",
	"mpls mac_push label 5", "mpls dec_ttl", "mpls push protocol x", "mpls pu lab 5", "mpls push label", "mpls dec_ttl pipe",
	"ct", "ct zone 5", "ct zone x", "ct commit", "ct commit force", "ct clear", "ct nat", "ct nat src addr 1.1.1.1", "ct nat dst addr 1.1.1.1-1.1.1.9 port 10-20",
	"ct nat src", "ct nat src foo", "ct nat src addr x", "ct nat src addr 1.1.1.1 port x", "ct mark 5", "ct mark 5/0xf", "ct mark x", "ct mark 5/x", "ct z 3 comm pipe",
	"ct commit mark 3 zone 4 nat src addr 10.0.0.1 port 80 pipe index 2", "ct nat pipe",
	"tunnel_key set to 300", "tunnel_key set tt x", "sample r x", "sample g", "mpls modify t 8", "mpls modify tt 300", "mpls push la x", "vlan push_eth dst zz", "vlan push_eth sr zz", "vlan push pri 9", "skbedit q x", "ct z x", "ct ma x", "tunnel_key set i x", "tunnel_key set dst_p x", "tunnel_key set ds 1.2.3.4", "tunnel_key set sr x", "tunnel_key set gen 1:2",
	"pedit munge offset 12 u32 set 0x1", "pedit munge offset 12 u16 set 5", "pedit munge offset 12 u8 set 5", "pedit munge offset 12 u64 set 5",
	"pedit munge offset 12 u8 set 300", "pedit ex munge ip ttl set 5", "pedit munge ip src set 1.2.3.4", "pedit munge offset x u8 set 1", "pedit", "pedit munge ip foo set 1",
	"pedit munge offset 12", "pedit munge offset 12 u32 set 1.2.3.4 pipe",
	"police rate 1mbit burst 10k linklayer atm", "police rate 1mbit burst 10k linklayer adsl", "police rate 1mbit burst 10k linklayer eth",
	"police rate 1mbit burst 10k linklayer a", "police rate 1mbit burst 10k linklayer x", "police rate 1mbit burst 10k linklayer ATM", "police rate 1mbit burst 10k linklayer",
	"connmark", "connmark zone 3", "connmark zone x", "simple sdata hi", "simple", "nat ingress 1.1.1.1 2.2.2.2",
}

// TestActionKindsParse compares what parseAction makes of actParseLines
// with actParseGolden.
func TestActionKindsParse(t *testing.T) {
	var b strings.Builder
	for _, l := range actParseLines {
		w := strings.Fields(l)
		a := &tcArgs{args: args{list: w[1:]}}
		act, err := a.parseAction(w[0])
		k := "<nil>"
		if err == nil {
			j, jerr := json.Marshal(act.Kind)
			if jerr != nil {
				t.Fatal(jerr)
			}
			k = fmt.Sprintf("%T %s", act.Kind, j)
		}
		fmt.Fprintf(&b, "%s => %s idx=%d ctl=%v rest=%q err=%v\n", l, k, act.Index, act.Control, a.list[a.i:], err)
	}
	checkParseGolden(t, actParseGolden, "IPR_ACTPARSE_WRITE", b.String())
}
