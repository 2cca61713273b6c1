#!/usr/bin/env bash
#
# golden.sh records the link requests iproute2 sends, as golden data for
# rtm's link encoders (rtm/link_golden_test.go builds the same requests and
# compares them byte for byte).
#
# Usage: scripts/golden.sh [OUTDIR]      (default: rtm/testdata/golden)
#
# Each case runs "ip -n NS ARGS" under strace in a throwaway namespace of
# its own, after the case's setup commands, and records the last request of
# type RTM_NEWLINK, RTM_DELLINK, RTM_SETLINK, RTM_NEWLINKPROP or RTM_DELLINKPROP that ip
# sent; ip may send others first, such as an RTM_GETLINK that resolves a
# device name. The kernel need not support the kind: a request the kernel
# rejects ("Unknown device type") is recorded all the same, so that kinds
# this kernel lacks are verified too. The namespaces are deleted on exit,
# whatever happens.
#
# Output: OUTDIR/FILE.txt for each FILE named in the cases below, a text
# file of paragraphs, one per case:
#
#	case NAME            unique name of the case
#	setup ARGS           "ip -n NS ARGS" run before the capture (0 or more)
#	links NAME=INDEX...  the namespace's links after setup, for the test to
#	                     resolve names to the indices ip resolved them to
#	cmd ARGS             the captured command, "ip -n NS ARGS"
#	req HEX              the request, netlink header included, as lower-case
#	                     hex; nlmsg_seq and nlmsg_pid are zeroed
#
# Lines starting with # are comments. The captures are in the byte order of
# the machine that made them (little-endian here).
#
# Requires root, iproute2 and strace (apt-get install strace).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

outdir=${1:-$REPO_ROOT/rtm/testdata/golden}
# shellcheck source-path=SCRIPTDIR source=golden_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden_lib.sh"
golden_require ip
golden_outdir=$outdir
golden_tool=ip
golden_types="1000 1100 1300 6c00 6d00" # RTM_NEWLINK, RTM_DELLINK, RTM_SETLINK, RTM_NEWLINKPROP, RTM_DELLINKPROP
golden_script=golden.sh
golden_what="Link requests"
golden_note=", which documents the format"
mkdir -p "$outdir"

# capture FILE NAME CMD [SETUP...] records one case.
capture() { golden_capture "$@"; }

pair="link add p0 type veth peer name p1"
bridge="link add br0 type bridge"

# Generic settings.
capture link add-veth "link add veth0 type veth peer name veth1"
capture link add-veth-nopeer "link add veth0 type veth"
capture link add-veth-generic "link add veth0 up address 02:00:00:00:00:01 broadcast ff:ff:ff:ff:ff:fe txqueuelen 0 mtu 1400 promisc on arp off numtxqueues 4 numrxqueues 2 group 0 type veth peer name veth1 address 02:00:00:00:00:02 txqueuelen 7 mtu 1300"
capture link add-veth-groups "link add veth0 group 3 type veth peer name veth1 mtu 1300 group 4 alias peer"
capture link add-veth-index "link add name veth0 index 42 type veth peer name veth1 index 43"
capture link add-veth-peer-netns "link add veth0 type veth peer name veth1 netns 999999"
capture link replace-veth "link replace veth0 mtu 1400 type veth peer name veth1"
capture link set-up "link set dev p0 up" "$pair"
capture link set-down "link set dev p0 down" "$pair"
capture link set-generic "link set dev p0 down address 02:00:00:00:00:09 txqueuelen 77 mtu 1280 promisc off arp on multicast off allmulticast on master br0 group 7 alias uplink" "$pair" "$bridge"
capture link set-name "link set dev p0 name wan0" "$pair"
capture link set-nomaster "link set dev p0 nomaster" "$pair"
capture link set-group-zero "link set dev p0 group 0" "$pair"
capture link set-netns-pid "link set dev p0 netns 999999" "$pair"
capture link del "link del dev p1" "$pair"
capture link altname-add "link property add dev p0 altname wan0 altname wan-uplink" "$pair"
capture link altname-del "link property del dev p0 altname wan0" "$pair"

# Settings: XDP, carrier, SR-IOV VFs (which veth lacks: the kernel refuses
# them, the request is recorded all the same), protodown, segmentation
# limits, the IPv6 token.
capture settings set-xdp-off "link set dev p0 xdp off" "$pair"
capture settings set-xdpgeneric-off "link set dev p0 xdpgeneric off" "$pair"
capture settings set-xdpdrv-off-force "-force link set dev p0 xdpdrv off" "$pair"
capture settings set-xdpoffload-off "link set dev p0 xdpoffload off" "$pair"
capture settings set-carrier "link set dev p0 carrier off" "$pair"
capture settings set-vf "link set dev p0 vf 0 mac 02:00:00:00:00:10 vlan 10 qos 3 spoofchk on query_rss on trust on state enable node_guid 00:11:22:33:44:55:66:77 port_guid 00:11:22:33:44:55:66:78 min_tx_rate 10 max_tx_rate 100" "$pair"
capture settings set-vf-rate "link set dev p0 vf 1 rate 100 spoofchk off" "$pair"
capture settings set-vf-vlan-ad "link set dev p0 vf 2 vlan 20 proto 802.1ad trust off state auto" "$pair"
capture settings set-vf-two "link set dev p0 vf 0 trust on vf 3 state disable" "$pair"
capture settings set-modes "link set dev p0 mode dormant state dormant addrgenmode none link-netnsid 3 protodown on protodown_reason 1 on gso_max_size 32768 gso_max_segs 100 gro_max_size 32768" "$pair"
capture settings set-addrgenmode "link set dev p0 addrgenmode stable_secret" "$pair"
capture settings set-protodown-reason-off "link set dev p0 protodown_reason 4 off" "$pair"
capture settings token-set "token set ::1:2:3:4 dev p0" "$pair"
capture settings token-del "token del ::1:2:3:4 dev p0" "$pair"

# More kinds (none of which this kernel has: the requests are recorded all
# the same).
capture kinds add-nlmon "link add nl0 type nlmon"
capture kinds add-vcan "link add can0 type vcan"
capture kinds add-vxcan "link add vxc0 type vxcan peer name vxc1"
capture kinds add-batadv "link add bat0 type batadv ra BATMAN_V"
capture kinds add-batadv-default "link add bat0 type batadv"
capture kinds add-netkit "link add nk0 type netkit"
capture kinds add-vti "link add vti1 type vti local 192.0.2.1 remote 192.0.2.2 ikey 5 okey 6 fwmark 9 dev p0" "$pair"
capture kinds add-vti-bare "link add vti1 type vti"
capture kinds add-vti6 "link add vti6a type vti6 local 2001:db8::1 remote 2001:db8::2 key 7"
capture kinds add-xfrm "link add xfrm1 type xfrm dev p0 if_id 42" "$pair"
capture kinds add-xfrm-external "link add xfrm2 type xfrm external"
capture kinds add-bareudp "link add bu0 type bareudp dstport 6635 ethertype mpls_uc srcportmin 1000 multiproto"
capture kinds add-bareudp-ip "link add bu0 type bareudp dstport 6636 ethertype ipv4"
capture kinds add-gtp "link add gtp0 type gtp role sgsn hsize 2048 restart_count 3"
capture kinds add-gtp-default "link add gtp0 type gtp role ggsn"
capture kinds add-hsr "link add hsr0 type hsr supervision 45 version 1 proto 0 slave1 p0 slave2 p1" "$pair"
capture kinds add-ip6tnl "link add t6 type ip6tnl mode ip6ip6 local 2001:db8::1 remote 2001:db8::2 dev p0 hoplimit 32 encaplimit 2 fwmark 7 allow-localremote" "$pair"
capture kinds add-ip6tnl-any "link add t6 type ip6tnl remote 2001:db8::2"
capture kinds add-ip6tnl-external "link add t6 type ip6tnl external"
capture kinds add-erspan "link add ers1 type erspan local 192.0.2.1 remote 192.0.2.2 seq key 10 erspan_ver 1 erspan 123"
capture kinds add-erspan-v2 "link add ers1 type erspan local 192.0.2.1 remote 192.0.2.2 seq key 10 erspan_ver 2 erspan_dir egress erspan_hwid 7"
capture kinds add-ip6erspan "link add ers6 type ip6erspan local 2001:db8::1 remote 2001:db8::2 seq key 10 erspan_ver 1 erspan 9"
capture kinds add-ipoib "link add link p0 name ib0.8001 type ipoib pkey 0x8001 mode connected umcast 1" "$pair"

# Bridges and their ports.
capture bridge add-bridge "link add br0 type bridge"
capture bridge add-bridge-options "link add br0 type bridge forward_delay 1500 hello_time 300 max_age 2500 ageing_time 30000 stp_state 1 priority 4096 vlan_filtering 1 vlan_protocol 802.1ad vlan_default_pvid 10 mcast_snooping 0 mcast_querier 1 nf_call_iptables 1"
capture bridge set-bridge "link set dev br0 type bridge stp_state 0 vlan_default_pvid 0" "$bridge"
capture bridge set-port "link set dev p0 type bridge_slave state 3 priority 5 cost 10 guard on hairpin on fastleave on root_block on learning off flood off mcast_flood off bcast_flood off proxy_arp on neigh_suppress on isolated on" "$bridge" "$pair" "link set dev p0 master br0"

# VXLAN.
capture vxlan add-vxlan "link add vx0 type vxlan id 42 dstport 4789"
capture vxlan add-vxlan-options "link add vx0 type vxlan id 16777215 remote 192.0.2.2 local 192.0.2.1 dev p0 ttl 64 tos 1 dstport 4789 srcport 1000 2000 nolearning ageing 300 maxaddress 10 noudpcsum" "$pair"
capture vxlan add-vxlan-external "link add vx0 type vxlan external dstport 4789"
capture vxlan add-vxlan-vnifilter "link add vx0 type vxlan external vnifilter dstport 4789"
capture vxlan add-vxlan-v6opts "link add vx0 type vxlan id 9 tos 1 flowlabel 0x12345 udp6zerocsumtx udp6zerocsumrx gbp remote 2001:db8::2 dstport 4789"
capture vxlan add-vxlan-group6 "link add vx0 type vxlan id 7 group ff05::100 dev p0 dstport 0 learning" "$pair"

# MACVLAN, MACVTAP, IPVLAN, IPVTAP.
capture macvlan add-macvlan "link add link p0 name mv0 type macvlan mode bridge" "$pair"
capture macvlan add-macvlan-default "link add link p0 name mv0 type macvlan" "$pair"
capture macvlan add-macvlan-nopromisc "link add link p0 name mv0 type macvlan mode passthru flag nopromisc" "$pair"
capture macvlan add-macvtap "link add link p0 name mvt0 address 02:00:00:00:00:03 type macvtap mode vepa" "$pair"
capture ipvlan add-ipvlan "link add link p0 name ipv0 type ipvlan mode l2 bridge" "$pair"
capture ipvlan add-ipvlan-l3s "link add link p0 name ipv0 type ipvlan mode l3s private" "$pair"
capture ipvlan add-ipvtap "link add link p0 name ipvt0 type ipvtap mode l2 vepa" "$pair"

# Simple kinds.
capture simple add-ifb "link add ifb0 type ifb"
capture simple add-dummy "link add d0 mtu 9000 type dummy"
capture simple add-wireguard "link add wg0 type wireguard"
capture simple add-vrf "link add vrf0 type vrf table 10"
capture simple add-team "link add t0 type team"

# VLAN.
capture vlan add-vlan "link add link p0 name p0.5 type vlan id 5" "$pair"
capture vlan add-vlan-options "link add link p0 name p0.100 type vlan protocol 802.1ad id 100 reorder_hdr off gvrp on mvrp on loose_binding on" "$pair"

# Bonding.
capture bond add-bond "link add bond0 type bond"
capture bond add-bond-options "link add bond0 type bond mode 802.3ad miimon 100 updelay 200 downdelay 300 lacp_rate fast xmit_hash_policy layer3+4 min_links 1 ad_select bandwidth"
capture bond add-bond-ab "link add bond0 type bond mode active-backup arp_interval 1000 arp_ip_target 192.0.2.1,192.0.2.2 fail_over_mac active"

# Tunnels.
capture tunnel add-gre "link add gre1 type gre remote 192.0.2.2 local 192.0.2.1 ttl 64"
capture tunnel add-gre-keys "link add gre1 type gre remote 192.0.2.2 local 192.0.2.1 ttl 64 tos 10 key 42 dev p0" "$pair"
capture tunnel add-gre-iokeys "link add gre1 type gre remote 192.0.2.2 ikey 1 okey 2 csum nopmtudisc" 
capture tunnel add-gre-local "link add gre1 type gre local 192.0.2.1"
capture tunnel add-gretap "link add gt1 type gretap remote 192.0.2.2 local 192.0.2.1"
capture tunnel add-ip6gre "link add g6 type ip6gre remote 2001:db8::2 local 2001:db8::1 ttl 64 key 9"
capture tunnel add-ip6gretap "link add g6t type ip6gretap remote 2001:db8::2 local 2001:db8::1"
capture tunnel add-ip6gre-dev "link add g6 type ip6gre remote 2001:db8::2 dev p0" "$pair"
capture tunnel add-ipip-remote "link add tun0 type ipip remote 192.0.2.2"
capture tunnel add-ipip "link add tun0 type ipip remote 192.0.2.2 local 192.0.2.1 ttl 64 dev p0" "$pair"
capture tunnel add-sit "link add sit1 type sit remote 192.0.2.2 local 192.0.2.1 ttl 64 tos 1"
capture tunnel add-geneve "link add gnv0 type geneve id 42 remote 192.0.2.2"
capture tunnel add-sit-local "link add sit1 type sit local 192.0.2.1"
capture tunnel add-geneve-v4 "link add gnv0 type geneve id 1 remote 192.0.2.2 ttl 8 dstport 6081 udpcsum"
capture tunnel add-geneve-options "link add gnv0 type geneve id 16777215 remote 2001:db8::2 ttl 64 tos 1 dstport 6082 noudpcsum"

# MACsec, on a parent (this kernel has no macsec: the requests are recorded
# all the same).
capture macsec add-macsec "link add link p0 name ms0 type macsec port 11 encrypt on" "$pair"
capture macsec add-macsec-default "link add link p0 name ms0 type macsec" "$pair"
capture macsec add-macsec-sci "link add link p0 name ms0 type macsec sci 0x0200000000010001 cipher gcm-aes-256 icvlen 12 encrypt off send_sci on protect on replay on window 32 validate check encodingsa 2 offload off" "$pair"
capture macsec add-macsec-es "link add link p0 name ms0 type macsec port 1 end_station on scb off validate strict replay off window 0 cipher gcm-aes-xpn-128 offload mac" "$pair"
capture macsec add-macsec-address "link add link p0 name ms0 type macsec address 02:00:00:00:00:01 port 5 cipher default icvlen 16 scb on" "$pair"
capture macsec set-macsec "link set dev p0 type macsec encrypt off protect off validate disabled encodingsa 0" "$pair"

# CAN options, set on an existing device as "ip link set DEV type can"
# does (no CAN hardware here: a veth named can0 stands for it, and the
# kernel refuses the request, which is recorded all the same).
can="link add can0 type veth peer name can1"
capture can set-can-bitrate "link set dev can0 type can bitrate 500000 sample-point 0.875 restart-ms 100" "$can"
capture can set-can-timing "link set dev can0 type can tq 125 prop-seg 6 phase-seg1 7 phase-seg2 2 sjw 1 restart-ms 0" "$can"
capture can set-can-fd "link set dev can0 type can bitrate 500000 dbitrate 2000000 dsample-point 0.75 fd on loopback off berr-reporting on termination 120 tdcv 5 tdco 10 tdc-mode manual" "$can"
capture can set-can-dtiming "link set dev can0 type can dtq 25 dprop-seg 3 dphase-seg1 4 dphase-seg2 2 dsjw 1 tdcf 7 tdc-mode auto" "$can"
capture can set-can-ctrl "link set dev can0 type can listen-only on one-shot on triple-sampling off presume-ack on cc-len8-dlc on fd-non-iso off tdc-mode off" "$can"
capture can set-can-restart "link set dev can0 type can restart" "$can"
capture can set-can-termination "link set dev can0 type can termination 0" "$can"

echo "wrote $(ls "$outdir"/*.txt | wc -l) files, $golden_n cases, in $outdir"
