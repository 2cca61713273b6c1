#!/usr/bin/env bash
#
# golden_route.sh records the route and nexthop requests iproute2 sends
# with lightweight-tunnel encapsulations, as golden data for rtm's encap
# encoders (rtm/encap_golden_test.go builds the same requests, compares
# their encapsulations byte for byte and decodes them back).
#
# Usage: scripts/golden_route.sh [OUTDIR]   (default: rtm/testdata/golden_route)
#
# Each case runs "ip -n NS ARGS" under strace in a throwaway namespace
# holding a veth pair p0/p1 (up, with addresses), and records the last
# RTM_NEWROUTE or RTM_NEWNEXTHOP it sent. The kernel need not support the
# encapsulation (this one lacks seg6 and MPLS routing): the request it
# refuses is recorded all the same. The format is golden.sh's.
#
# Requires root, iproute2 and strace.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=golden_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden_lib.sh"

golden_outdir=${1:-$REPO_ROOT/rtm/testdata/golden_route}
golden_tool=ip
golden_types="1800 6800" # RTM_NEWROUTE, RTM_NEWNEXTHOP (little-endian)
golden_script=golden_route.sh
golden_require
mkdir -p "$golden_outdir"

setup=("link add p0 type veth peer name p1" "link set p0 up" "link set p1 up"
	"addr add 192.0.2.1/24 dev p0" "addr add 2001:db8::1/64 dev p0 nodad")
c() { golden_capture encap "$@" "${setup[@]}"; }

c mpls "route add 10.7.0.0/16 encap mpls 100/200 ttl 10 dev p0"
c ip "route add 10.8.0.0/16 encap ip id 42 dst 198.51.100.7 src 192.0.2.1 tos 16 ttl 64 key csum seq dev p0"
c ip-bare "route add 10.9.0.0/16 encap ip dst 198.51.100.7 dev p0"
c ip6 "route add 2001:db8:7::/48 encap ip6 id 7 dst 2001:db8:9::1 src 2001:db8::1 tc 32 hoplimit 9 key dev p0"
c ila "route add 2001:db8:8::/64 encap ila 2001:0:0:1 csum-mode neutral-map ident-type luid hook-type output dev p0"
c ila-bare "route add 2001:db8:8::/64 encap ila 1:2:3:4 dev p0"
c seg6-encap "route add 2001:db8:a::/64 encap seg6 mode encap segs fc00::1,fc00::2,fc00::3 dev p0"
c seg6-inline "route add 2001:db8:b::/64 encap seg6 mode inline segs fc00::1,fc00::2 dev p0"
c seg6-l2encap "route add 2001:db8:c::/64 encap seg6 mode l2encap segs fc00::1 dev p0"
c seg6-encap-red "route add 2001:db8:d::/64 encap seg6 mode encap.red segs fc00::1,fc00::2 dev p0"
c seg6-l2encap-red "route add 2001:db8:d::/64 encap seg6 mode l2encap.red segs fc00::1,fc00::2 dev p0"
c seg6-hmac "route add 2001:db8:e::/64 encap seg6 mode encap segs fc00::1,fc00::2 hmac 7 dev p0"
c seg6-v4 "route add 10.10.0.0/16 encap seg6 mode encap segs fc00::1 dev p0"
c seg6local-end "route add fc00::e/128 encap seg6local action End dev p0"
c seg6local-endx "route add fc00::e/128 encap seg6local action End.X nh6 2001:db8::2 dev p0"
c seg6local-endx4 "route add fc00::e/128 encap seg6local action End.DX4 nh4 192.0.2.2 dev p0"
c seg6local-endt "route add fc00::e/128 encap seg6local action End.T table 100 dev p0"
c seg6local-enddt6 "route add fc00::e/128 encap seg6local action End.DT6 vrftable 100 dev p0"
c seg6local-enddt46 "route add fc00::e/128 encap seg6local action End.DT46 vrftable 100 dev p0"
c seg6local-enddx2 "route add fc00::e/128 encap seg6local action End.DX2 oif p0 dev p0"
c seg6local-endb6 "route add fc00::e/128 encap seg6local action End.B6 srh segs fc00::1,fc00::2 dev p0"
c seg6local-endb6encaps "route add fc00::e/128 encap seg6local action End.B6.Encaps srh segs fc00::1,fc00::2 hmac 9 dev p0"
c seg6local-count "route add fc00::e/128 encap seg6local action End count dev p0"
c seg6local-flavors "route add fc00::e/128 encap seg6local action End flavors next-csid lblen 32 nflen 16 dev p0"
c seg6local-psp "route add fc00::e/128 encap seg6local action End flavors psp dev p0"
c rpl "route add 2001:db8:f::/64 encap rpl segs fc00::1,fc00::2,fc00::3 dev p0"
c ioam6-inline "route add 2001:db8:10::/64 encap ioam6 trace prealloc type 0x800000 ns 1 size 12 dev p0"
c ioam6-encap "route add 2001:db8:11::/64 encap ioam6 freq 2/5 mode encap tundst 2001:db8::99 trace prealloc type 0xc00000 ns 3 size 44 dev p0"
c ioam6-auto "route add 2001:db8:12::/64 encap ioam6 mode auto tundst 2001:db8::98 trace prealloc type 0x800000 ns 1 size 4 dev p0"
c xfrm "route add 10.11.0.0/16 encap xfrm if_id 7 link_dev p1 dev p0"
c nexthop-mpls "nexthop add id 7 encap mpls 300 via 192.0.2.2 dev p0"
c nexthop-seg6 "nexthop add id 8 encap seg6 mode encap segs fc00::1,fc00::2 dev p0"
c nexthop-seg6local "nexthop add id 9 encap seg6local action End.DT6 vrftable 100 dev p0"
c nexthop-ip6 "nexthop add id 10 encap ip6 id 3 dst 2001:db8:9::1 dev p0"
c multipath-seg6 "route add 2001:db8:13::/64 nexthop encap seg6 mode encap segs fc00::1 dev p0 nexthop encap seg6 mode encap segs fc00::2 dev p1"
echo "golden_route.sh: wrote $golden_outdir/encap.txt"
