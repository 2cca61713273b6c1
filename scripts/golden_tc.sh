#!/usr/bin/env bash
#
# golden_tc.sh records the filter and action requests iproute2's tc sends,
# as golden data for rtm/tc's filter and action encoders
# (rtm/tc/filter_golden_test.go builds the same requests and compares them
# byte for byte, then decodes them back).
#
# Usage: scripts/golden_tc.sh [OUTDIR]   (default: rtm/tc/testdata/iproute2)
#
# Each case runs "tc -n NS ARGS" under strace in a throwaway namespace of
# its own holding a veth pair p0/p1 and, on p0, the qdiscs the case's setup
# lines add; it records the last request of type RTM_NEWTFILTER,
# RTM_DELTFILTER, RTM_GETTFILTER, RTM_NEWACTION, RTM_DELACTION,
# RTM_GETACTION or RTM_NEWCHAIN/RTM_DELCHAIN/RTM_GETCHAIN that tc sent. The kernel need
# not support the kind: a request it refuses ("Unknown filter") is
# recorded all the same, so that kinds this kernel lacks are verified too.
# The namespaces are deleted on exit, whatever happens.
#
# Output: OUTDIR/FILE.txt for each FILE named below, in the format of
# scripts/golden.sh: paragraphs of "case NAME", "setup ARGS" (each run as
# "tc -n NS ARGS"), "links NAME=INDEX...", "cmd ARGS" and "req HEX"
# (netlink header included, nlmsg_seq and nlmsg_pid zeroed, in the byte
# order of the machine that made them: little-endian here).
#
# Requires root, iproute2 and strace.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

outdir=${1:-$REPO_ROOT/rtm/tc/testdata/iproute2}
# shellcheck source-path=SCRIPTDIR source=golden_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden_lib.sh"
golden_require tc
golden_outdir=$outdir
golden_tool=tc
golden_setup_tool=tc
golden_base=("link add p0 type veth peer name p1")
golden_missing=warn # a kind this kernel lacks may be refused before sending
golden_types="2c00 2d00 2e00 3000 3100 3200 6400 6500 6600" # filters, actions, chains
golden_script=golden_tc.sh
golden_note=", which documents the format"
mkdir -p "$outdir"

# capture FILE NAME CMD [SETUP...] records one case, in a namespace with
# the veth pair p0/p1.
capture() { golden_capture "$@"; }

clsact="qdisc add dev p0 clsact"
htb="qdisc add dev p0 root handle 1: htb"

# u32.
capture u32 ip-dst-drop "filter add dev p0 ingress prio 10 protocol ip u32 match ip dst 1.2.3.4/32 action drop" "$clsact"
capture u32 handle-flowid "filter add dev p0 parent 1: protocol ip prio 1 handle 800::10 u32 match ip src 10.0.0.0/8 match ip dport 80 0xffff flowid 1:10" "$htb"
capture u32 divisor "filter add dev p0 ingress prio 5 handle 2: protocol ip u32 divisor 256" "$clsact"
capture u32 link-hashkey "filter add dev p0 ingress prio 5 protocol ip u32 ht 800:: match ip src 10.0.0.0/8 hashkey mask 0x000000ff at 12 link 2:" "$clsact"
capture u32 raw-keys "filter add dev p0 ingress prio 7 protocol all u32 match u32 0x0a000001 0xffffffff at 16 match u16 0x0800 0xffff at -2 match u8 6 0xff at 9 offset at 0 mask 0x0f00 shift 6 eat" "$clsact"
capture u32 ip6 "filter add dev p0 ingress prio 8 protocol ipv6 u32 match ip6 dst 2001:db8::/32 match ip6 protocol 6 0xff action drop" "$clsact"
capture u32 tcp-ports "filter add dev p0 ingress prio 9 protocol ip u32 match ip protocol 6 0xff match tcp dst 443 0xffff match ip tos 0x10 0xff classid 1:5" "$clsact"
capture u32 mirred "filter add dev p0 ingress prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev p1" "$clsact"
capture u32 skip-sw "filter add dev p0 ingress prio 1 protocol ip u32 skip_sw match ip dst 10.1.0.0/16 action pass" "$clsact"
capture u32 chain "filter add dev p0 ingress chain 3 prio 2 protocol ip u32 match ip dst 10.2.0.0/16 action gact goto chain 4" "$clsact"
capture u32 del "filter del dev p0 ingress prio 10 protocol ip handle 800::800 u32" "$clsact"
capture u32 del-prio "filter del dev p0 ingress prio 10" "$clsact"
capture u32 del-all "filter del dev p0 ingress" "$clsact"
capture u32 replace "filter replace dev p0 ingress prio 10 protocol ip handle 800::800 u32 match ip dst 1.2.3.4/32 action pass" "$clsact"
capture u32 change "filter change dev p0 ingress prio 10 protocol ip handle 800::800 u32 match ip dst 1.2.3.5/32 action pass" "$clsact"
capture u32 get "filter get dev p0 ingress prio 10 protocol ip handle 800::800 u32" "$clsact"
capture u32 block "filter add block 22 prio 1 protocol ip u32 match ip dst 1.2.3.4/32 action drop" "qdisc add dev p0 ingress_block 22 clsact"
capture u32 egress-police "filter add dev p0 egress prio 3 protocol ip u32 match ip dst 10.0.0.0/8 police rate 1mbit burst 10k drop" "$clsact"

# matchall.
capture matchall mirror "filter add dev p0 ingress matchall action mirred egress mirror dev p1" "$clsact"
capture matchall classid "filter add dev p0 parent 1: prio 4 handle 7 matchall skip_hw classid 1:3" "$htb"
capture matchall skip-sw "filter add dev p0 ingress prio 2 protocol all matchall skip_sw action drop" "$clsact"
capture matchall ingress-redirect "filter add dev p0 egress matchall action mirred ingress redirect dev p1" "$clsact"

# bpf (classic bytecode; eBPF by fd is checked against the kernel).
capture bpf bytecode "filter add dev p0 ingress prio 1 handle 1 bpf bytecode '1,6 0 0 4294967295,' classid 1:1" "$clsact"
capture bpf bytecode-action "filter add dev p0 ingress bpf bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,' action drop" "$clsact"

# flower.
capture flower l2 "filter add dev p0 ingress prio 1 protocol ip flower dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:02/ff:ff:ff:00:00:00 action drop" "$clsact"
capture flower l3l4 "filter add dev p0 ingress prio 1 protocol ip flower ip_proto tcp ip_tos 0x10/0xff ip_ttl 64 dst_ip 192.0.2.1 src_ip 10.0.0.0/8 dst_port 80 src_port 1000-2000 tcp_flags 0x2/0x3f action pass" "$clsact"
capture flower ip6-udp "filter add dev p0 ingress prio 2 protocol ipv6 flower ip_proto udp dst_ip 2001:db8::1 src_ip 2001:db8::/64 dst_port 53 skip_hw action drop" "$clsact"
capture flower icmp "filter add dev p0 ingress protocol ip flower ip_proto icmp type 8 code 0 action drop" "$clsact"
capture flower vlan "filter add dev p0 ingress protocol 802.1q flower vlan_id 100 vlan_prio 3 vlan_ethtype ipv4 action vlan pop" "$clsact"
capture flower cvlan "filter add dev p0 ingress protocol 802.1ad flower vlan_id 100 vlan_ethtype 802.1q cvlan_id 200 cvlan_prio 1 cvlan_ethtype ip action drop" "$clsact"
capture flower tunnel "filter add dev p0 ingress protocol ip flower enc_dst_ip 192.0.2.2 enc_src_ip 192.0.2.1 enc_key_id 42 enc_dst_port 4789 enc_tos 0x10/0xff enc_ttl 64 action tunnel_key unset" "$clsact"
capture flower ct "filter add dev p0 ingress protocol ip flower ct_state +trk+est-new ct_zone 5 ct_mark 1/0xff action ct commit zone 5" "$clsact"
capture flower flags "filter add dev p0 ingress protocol ip flower ip_flags frag/nofirstfrag indev p0 action drop" "$clsact"
capture flower arp "filter add dev p0 ingress protocol arp flower arp_tip 10.0.0.1 arp_sip 10.0.0.0/24 arp_op request arp_tha 02:00:00:00:00:01 action drop" "$clsact"
capture flower mpls "filter add dev p0 ingress protocol mpls_uc flower mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64 action drop" "$clsact"
capture flower classid "filter add dev p0 parent 1: protocol ip prio 3 handle 9 flower classid 1:9 dst_ip 10.9.0.0/16" "$htb"
capture flower chain "filter add dev p0 ingress chain 1 protocol ip flower ip_proto sctp dst_port 9 action goto chain 2" "$clsact"

# fw, route, cgroup, flow, basic.
capture fw handle "filter add dev p0 parent 1: protocol ip prio 1 handle 5 fw classid 1:5" "$htb"
capture fw mask "filter add dev p0 parent 1: protocol ip prio 1 handle 5/0xff fw classid 1:5 indev p1" "$htb"
capture route to "filter add dev p0 parent 1: protocol ip prio 1 route to 10 classid 1:1" "$htb"
capture route from "filter add dev p0 parent 1: protocol ip prio 2 route from 5 classid 1:2" "$htb"
capture route fromif "filter add dev p0 parent 1: protocol ip prio 3 route to 4 fromif p1 classid 1:3" "$htb"
capture cgroup action "filter add dev p0 ingress prio 1 handle 1 cgroup action drop" "$clsact"
capture flow hash "filter add dev p0 parent 1: protocol ip prio 1 handle 1 flow hash keys src,dst,proto,proto-src,proto-dst divisor 256 baseclass 1:10" "$htb"
capture flow map "filter add dev p0 parent 1: protocol ip prio 2 handle 2 flow map key mark and 0xff xor 0x1 addend 5 divisor 16" "$htb"
capture cgroup ematch "filter add dev p0 ingress prio 2 handle 1 cgroup match 'meta(sk_family eq 2)' action drop" "$clsact"
capture u32 estimator "filter add dev p0 ingress prio 11 protocol ip estimator 1s 8s u32 match ip dst 1.2.3.4/32 action drop" "$clsact"
capture matchall estimator "filter add dev p0 ingress estimator 250ms 1s matchall action drop" "$clsact"
capture basic plain "filter add dev p0 parent 1: protocol ip prio 1 basic classid 1:1" "$htb"
capture basic ematch "filter add dev p0 parent 1: protocol ip prio 2 basic match 'cmp(u16 at 0 layer 2 mask 0xff00 gt 10)' classid 1:2" "$htb"
capture basic ematch-u32 "filter add dev p0 ingress protocol ip prio 3 basic match 'u32(u32 0x0a000000 0xff000000 at 16)' and not 'cmp(u8 at 9 layer network eq 6)' action drop" "$clsact"
capture basic ematch-meta "filter add dev p0 parent 1: protocol ip prio 3 basic match 'meta(nf_mark gt 24)' or 'meta(dev shift 1 eq \"ppp\")' classid 1:3" "$htb"
capture basic ematch-meta-mask "filter add dev p0 parent 1: protocol ip prio 3 basic match 'meta(tc_index mask 0xf0 eq 0xf0)' and 'meta(priority lt pkt_len)' classid 1:3" "$htb"
capture basic ematch-nbyte "filter add dev p0 parent 1: protocol ip prio 4 basic match 'nbyte(\"abc\" at 12 layer 1)' and 'nbyte(xyzzy at 0 layer transport)' classid 1:4" "$htb"
capture basic ematch-canid "filter add dev p0 parent 1: protocol all prio 5 basic match 'canid(sff 0x123 sff 0x124:0x7f0 eff 0x1234 eff 0x10:0xff)' classid 1:5" "$htb"
capture basic ematch-groups "filter add dev p0 parent 1: protocol ip prio 6 basic match 'cmp(u8 at 0 eq 1)' or '(' 'u32(u16 0x1122 0xffff at nexthdr+4)' and not 'meta(tc_index mask 0xf0 eq 0xf0)' ')' and not '(' 'cmp(u32 at 4 layer transport mask 0xff trans lt 7)' or 'nbyte(\"a\\x41\\n\" at 2)' ')' classid 1:6" "$htb"
capture basic ematch-nested "filter add dev p0 parent 1: protocol ip prio 7 basic match 'not (cmp(u8 at 1 eq 2) and (u32(u8 0x5 0xf at 3) or meta(random lt 5))) OR u32(u32 0x1 0x1 at 8)' classid 1:7" "$htb"

# Chains and chain templates (only flower has templates; u32's is refused).
capture chain add "chain add dev p0 ingress chain 1" "$clsact"
capture chain add-chain0 "chain add dev p0 egress" "$clsact"
capture chain add-root "chain add dev p0 parent 1: chain 7" "$htb"
capture chain add-block "chain add block 22 chain 5" "qdisc add dev p0 ingress_block 22 clsact"
capture chain template "chain add dev p0 ingress chain 1 protocol ip flower dst_ip 0.0.0.0/16" "$clsact"
capture chain template-l4 "chain add dev p0 egress chain 2 protocol ipv6 flower dst_mac 00:00:00:00:00:00/ff:ff:ff:00:00:00 ip_proto tcp src_ip ::/64 dst_port 1" "$clsact"
capture chain template-u32 "chain add dev p0 ingress chain 3 protocol ip u32" "$clsact"
capture chain del "chain del dev p0 ingress chain 1" "$clsact" "chain add dev p0 ingress chain 1"
capture chain del-block "chain del block 22 chain 5" "qdisc add dev p0 ingress_block 22 clsact" "chain add block 22 chain 5"
capture chain get "chain get dev p0 ingress chain 1" "$clsact" "chain add dev p0 ingress chain 1"

# Standalone actions, every kind.
capture action gact "actions add action gact drop index 5"
capture action gact-random "actions add action pass random determ drop 10 index 6"
capture action mirred "actions add action mirred egress redirect dev p1 index 3"
capture action mirred-ingress-mirror "actions add action mirred ingress mirror dev p1"
capture action police "actions add action police rate 1mbit burst 10k conform-exceed drop/ok index 2"
capture action police-full "actions add action police rate 8mbit burst 100k mtu 2k peakrate 10mbit overhead 4 conform-exceed reclassify/pipe"
capture action police-pkt "actions add action police pkts_rate 1000 pkts_burst 100 conform-exceed drop"
capture action skbedit "actions add action skbedit mark 5 priority 1:1 queue_mapping 3 ptype host"
capture action skbedit-mask "actions add action skbedit mark 5/0xff inheritdsfield"
capture action pedit "actions add action pedit ex munge ip ttl set 10"
capture action pedit-raw "actions add action pedit munge offset 0 u32 set 0x1 munge offset 4 u16 set 7 pipe"
capture action vlan-push "actions add action vlan push id 100 protocol 802.1q priority 3"
capture action vlan-pop "actions add action vlan pop index 9"
capture action vlan-modify "actions add action vlan modify id 5 protocol 802.1ad"
capture action tunnel-key-set "actions add action tunnel_key set src_ip 192.0.2.1 dst_ip 192.0.2.2 id 42 dst_port 4789 ttl 64 tos 0x10 nocsum"
capture action tunnel-key-set6 "actions add action tunnel_key set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 geneve_opts 0102:80:00880022"
capture action tunnel-key-unset "actions add action tunnel_key unset"
capture action csum "actions add action csum iph and tcp and udp"
capture action nat "actions add action nat ingress 10.0.0.1 192.168.0.1/32"
capture action nat-egress "actions add action nat egress 10.0.0.0/8 192.168.0.0"
capture action bpf "actions add action bpf bytecode '1,6 0 0 4294967295,' index 4"
capture action ct-commit "actions add action ct commit zone 5 mark 1/0xff"
capture action ct-nat "actions add action ct commit nat src addr 192.0.2.1-192.0.2.9 port 1000-2000"
capture action ct-clear "actions add action ct clear"
capture action connmark "actions add action connmark zone 3 index 1"
capture action sample "actions add action sample rate 100 group 5 trunc 128"
capture action mpls-push "actions add action mpls push label 100 tc 3 ttl 64"
capture action mpls-pop "actions add action mpls pop protocol ipv4"
capture action mpls-modify "actions add action mpls modify label 200 bos 1"
capture action simple "actions add action simple sdata hello index 1"
capture action multi "actions add action gact pass index 1 action mirred egress mirror dev p1 index 2"
capture action replace "actions replace action gact drop index 5"
capture action change "actions change action gact pipe index 5"
capture action del "actions del action gact index 5"
capture action get "actions get action mirred index 3"
capture action flush "actions flush action gact"
capture action cookie "actions add action gact drop index 8 cookie 0102030405"

echo "wrote $(ls "$outdir"/*.txt | wc -l) files, $golden_n cases, in $outdir"
