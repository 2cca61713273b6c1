package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// kindParseGolden holds what the qdisc and class kinds' parsers make of
// kindParseLines: the options as JSON, or the error. TestTCCommandLinesAsTC
// checks the valid command lines against tc's bytes; this golden keeps
// the rest (errors, abbreviations, which keyword is exact) from changing
// unnoticed. IPR_KINDPARSE_WRITE=1 rewrites it after a deliberate change.
const kindParseGolden = "testdata/tckindparse.txt"

// kindParseLines are "qdisc KIND OPTIONS" or "class KIND OPTIONS".
var kindParseLines = []string{
	"qdisc codel limit 10 target 5ms interval 100ms ce_threshold 1ms ecn", "qdisc codel noecn", "qdisc codel lim 10", "qdisc codel limit x", "qdisc codel target", "qdisc codel target x",
	"qdisc fq limit 10 flow_limit 5 buckets 1000 maxrate 1mbit low_rate_threshold 10kbit defrate 2mbit ce_threshold 2ms timer_slack 10us",
	"qdisc fq horizon_drop horizon 1s quantum 3000 initial_quantum 10000 orphan_mask 255 refill_delay 40ms pacing", "qdisc fq horizon_cap nopacing",
	"qdisc fq maxrate 100gbit", "qdisc fq timer_slack -1", "qdisc fq timer_slack x", "qdisc fq buckets 0", "qdisc fq buckets 1", "qdisc fq lim 3",
	"qdisc fq_codel limit 10 flows 20 quantum 300 drop_batch 4 target 5ms interval 100ms ce_threshold 1ms memory_limit 32m ecn",
	"qdisc fq_codel ce_threshold_selector 0x1/0x3", "qdisc fq_codel ce_threshold_selector 1", "qdisc fq_codel ce_threshold_selector x/1", "qdisc fq_codel noecn flows x", "qdisc fq_codel memory_limit x", "qdisc fq_codel fl 2",
	"qdisc sfq quantum 1514 perturb 10 limit 100 divisor 1024 flows 128 depth 64 headdrop", "qdisc sfq limit 1", "qdisc sfq perturb x", "qdisc sfq perturb -3",
	"qdisc sfq redflowlimit 100000 min 8000 max 60000 burst 20 avpkt 1000 probability 0.2 ecn harddrop", "qdisc sfq probability x", "qdisc sfq min 1 max 0", "qdisc sfq quan 1",
	"qdisc red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit probability 0.02 ecn harddrop nodrop adaptive", "qdisc red adaptative", "qdisc red limit 1k", "qdisc red probability x",
	"qdisc choke limit 1000 bandwidth 10mbit min 100 max 300 avpkt 1000 probability 0.1 ecn", "qdisc choke harddrop", "qdisc choke limit 1k", "qdisc red lim 3",
	"qdisc pie limit 1000 target 15ms tupdate 30ms alpha 2 beta 20 ecn bytemode dq_rate_estimator", "qdisc pie noecn nobytemode no_dq_rate_estimator", "qdisc pie flows 3",
	"qdisc fq_pie limit 1000 flows 1024 target 15ms tupdate 30ms alpha 2 beta 20 quantum 1514 memory_limit 32m ecn_prob 10 ecn bytemode", "qdisc fq_pie quantum x",
	"qdisc htb default 10 r2q 5 direct_qlen 100 offload", "qdisc htb def 1f r2 3 de 123 direct 4 off", "qdisc htb default x", "qdisc htb debug", "qdisc htb foo",
	"qdisc tbf rate 1mbit burst 32k latency 50ms", "qdisc tbf rate 1mbit buffer 32k limit 10k mtu 2k mpu 64 peakrate 2mbit overhead 4 linklayer atm",
	"qdisc tbf rate 1mbit maxburst 32k lat 50ms minburst 1k pe 2mbit ov 4 li ethernet", "qdisc tbf rate 1mbit bu 32k li 1k", "qdisc tbf ra 1mbit burst 32k limit 1k",
	"qdisc tbf burst 32k limit 1k", "qdisc tbf rate 1mbit limit 1k", "qdisc tbf rate 1mbit burst 32k", "qdisc tbf rate 1mbit burst 32k limit 1k m 3", "qdisc tbf rate 1mbit burst 32k limit 1k linklayer x",
	"qdisc hfsc default 10", "qdisc hfsc def 1f", "qdisc hfsc default x", "qdisc hfsc foo", "qdisc hfsc default",
	"class htb rate 1mbit ceil 2mbit burst 15k cburst 15k prio 1 mtu 1600 mpu 64 overhead 4 linklayer atm quantum 1500",
	"class htb rate 1mbit buffer 10k cbuffer 10k", "class htb rate 1mbit maxburst 10k cmaxburst 10k", "class htb rate 1mbit b 10k cb 10k pr 2 mt 3 mp 4 ov 5 li ethernet qu 7",
	"class htb ceil 1mbit", "class htb rate 1mbit prio x", "class htb rate 1mbit overhead 70000", "class htb rate x", "class htb ra 1mbit",
	"qdisc mqprio num_tc 3 map 0 0 0 1 1 2 queues 1@0 1@1 2@2 hw 1 mode channel shaper bw_rlimit min_rate 1mbit 2mbit 3mbit max_rate 4mbit",
	"qdisc mqprio mode d shaper d", "qdisc mqprio mode c shaper b", "qdisc mqprio mode x", "qdisc mqprio shaper x", "qdisc mqprio hw 0 mode dcb", "qdisc mqprio mode",
	"qdisc plug block", "qdisc plug release", "qdisc plug release_indefinite", "qdisc plug limit 32k", "qdisc plug limit x", "qdisc plug rel", "qdisc plug limit",
	"qdisc multiq", "qdisc multiq bands 3",
	"class drr quantum 1500", "class drr quantum x", "class drr qu 1", "class qfq weight 10 maxpkt 2000", "class qfq w 1 m 2", "class qfq weight x",
	"class ets quantum 1500", "class ets quantum x", "class ets q 1",
}

// TestKindParse compares what the kinds' parsers make of kindParseLines
// with kindParseGolden.
func TestKindParse(t *testing.T) {
	var b strings.Builder
	for _, l := range kindParseLines {
		w := strings.Fields(l)
		a := &args{list: w[2:]}
		var o any
		var err error
		if w[0] == "qdisc" {
			o, err = lookupQdiscKind(w[1]).parse(&env{}, a, w[1])
		} else {
			o, err = lookupClassKind(w[1]).parse(&env{}, a, w[1])
		}
		k := "<nil>"
		if err == nil {
			j, jerr := json.Marshal(o)
			if jerr != nil {
				t.Fatal(jerr)
			}
			k = fmt.Sprintf("%T %s", o, j)
		}
		fmt.Fprintf(&b, "%s => %s rest=%q err=%v\n", l, k, a.list[a.i:], err)
	}
	checkParseGolden(t, kindParseGolden, "IPR_KINDPARSE_WRITE", b.String())
}

// checkParseGolden compares got with the golden file at path, line by
// line, or rewrites the file when the environment variable write is 1.
func checkParseGolden(t *testing.T, path, write, got string) {
	t.Helper()
	if os.Getenv(write) == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	if len(lines) != len(wantLines) {
		t.Errorf("%d lines, want %d", len(lines), len(wantLines))
	}
	for i := range min(len(lines), len(wantLines)) {
		if lines[i] != wantLines[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], wantLines[i])
		}
	}
}

// filterParseGolden holds what parseFilterCmd makes of filterParseLines,
// as kindParseGolden does for the qdiscs: the filter golden tests check
// valid command lines against tc's bytes, this the rest.
const filterParseGolden = "testdata/tcfilterparse.txt"

// filterParseLines are the words after "filter add"; "~" is a space
// within a word.
var filterParseLines = []string{
	"dev p0 ingress u32 match u32 0 0 classid 1:1", "dev p0 ingress u32 match u16 0x10 0xffff at 2 flowid 1:2", "dev p0 ingress u32 divisor 256", "dev p0 ingress u32 divisor 3",
	"dev p0 ingress u32 order 5", "dev p0 ingress u32 order x", "dev p0 ingress u32 link 1:", "dev p0 ingress u32 link 1:2:3", "dev p0 ingress u32 link", "dev p0 ingress u32 ht 2:",
	"dev p0 ingress handle 1::5 u32 ht 2:3:", "dev p0 ingress handle 1::5 u32 ht 2:", "dev p0 ingress u32 ht x", "dev p0 ingress u32 indev eth0", "dev p0 ingress u32 indev",
	"dev p0 ingress u32 classid x", "dev p0 ingress u32 classid", "dev p0 ingress u32 skip_hw skip_sw", "dev p0 ingress u32 foo", "dev p0 ingress u32 match ip src 1.2.3.4/32 action drop",
	"dev p0 ingress u32 match", "dev p0 ingress u32 police rate 1mbit burst 10k", "dev p0 ingress u32 o 3 d 16",
	"dev p0 ingress matchall skip_hw action drop", "dev p0 ingress matchall skip_sw", "dev p0 ingress matchall foo", "dev p0 ingress handle 5 matchall", "dev p0 ingress handle x matchall",
	"dev p0 ingress bpf bytecode 1,6~0~0~0 skip_hw da", "dev p0 ingress bpf skip_sw run bytecode 1,6~0~0~0", "dev p0 ingress bpf foo",
	"dev p0 ingress protocol ip flower skip_hw verbose ip_proto tcp dst_port 80", "dev p0 ingress flower skip_sw", "dev p0 ingress handle x flower",
	"dev p0 ingress protocol ip flower dst_ip 10.0.0.0/8 src_ip 1.2.3.4 ip_tos 0x10/0xf0 ip_ttl 64 ip_proto udp src_port 10-20 dst_port 53",
	"dev p0 ingress protocol 802.1Q flower vlan_id 5 vlan_prio 3 vlan_ethtype 802.1Q cvlan_id 7 cvlan_prio 2 cvlan_ethtype ip", "dev p0 ingress flower vlan_id 4096",
	"dev p0 ingress flower vlan_prio 8", "dev p0 ingress flower cvlan_id x", "dev p0 ingress protocol mpls_uc flower mpls_label 5 mpls_tc 7 mpls_bos 1 mpls_ttl 255",
	"dev p0 ingress flower mpls_tc 8", "dev p0 ingress flower mpls_bos 2", "dev p0 ingress flower mpls_ttl 256", "dev p0 ingress flower ct_zone 5/0xff ct_mark 7 tcp_flags 0x2/0x3f",
	"dev p0 ingress flower ct_zone 70000", "dev p0 ingress flower ct_mark 1/x", "dev p0 ingress protocol arp flower arp_tip 1.2.3.4 arp_sip 10.0.0.0/8 arp_op request",
	"dev p0 ingress flower type 8 code 0/0xff", "dev p0 ingress flower enc_dst_ip 1.1.1.1 enc_src_ip ::1 enc_tos 3 enc_ttl 300", "dev p0 ingress flower dst_ip x",
	"dev p0 ingress flower ip_tos x", "dev p0 ingress flower enc_key_id 5 enc_dst_port 4789", "dev p0 ingress flower foo 1", "dev p0 ingress flower dst_port 20-10",
	"dev p0 ingress handle 3/0xff fw classid 1:1", "dev p0 ingress handle x fw", "dev p0 ingress route to 5 from 3", "dev p0 ingress cgroup action drop", "dev p0 ingress basic match meta(mark eq 5)",
	"dev p0 ingress flow hash keys src,dst divisor 16", "dev p0 ingress handle 1 foo", "dev p0 parent x u32", "dev p0 ingress protocol x u32", "dev p0 ingress handle 1",
}

// TestFilterParse compares what parseFilterCmd makes of filterParseLines
// with filterParseGolden.
func TestFilterParse(t *testing.T) {
	var b strings.Builder
	for _, l := range filterParseLines {
		words := strings.Fields(l)
		for i := range words {
			words[i] = strings.ReplaceAll(words[i], "~", " ")
		}
		a := &tcArgs{args: args{list: words}, resolve: func(string) (int32, error) { return 7, nil }}
		c, err := parseFilterCmd(a)
		k := "<nil>"
		if err == nil {
			j, jerr := json.Marshal(c.spec)
			if jerr != nil {
				t.Fatal(jerr)
			}
			k = fmt.Sprintf("%s %s %T %s", c.dev, c.kind, c.spec.Options, j)
		}
		fmt.Fprintf(&b, "%s => %s err=%v\n", l, k, err)
	}
	checkParseGolden(t, filterParseGolden, "IPR_FILTERPARSE_WRITE", b.String())
}
