#!/usr/bin/env bash
#
# golden_rtobj.sh records the requests iproute2 sends for bridge VLANs,
# the multicast database, VXLAN VNI filters, bridge and bond port options
# and address labels,
# as golden data for rtm's encoders of those objects
# (rtm/rtobj_golden_test.go builds the same requests and compares them
# byte for byte), with golden_lib.sh, in golden.sh's format: bridge's
# requests in rtm/testdata/golden_rtobj/bridge.txt, ip's in ip.txt. The
# kernel need not support a request (this one has no bridge VLAN
# filtering): a refused request is recorded all the same.
#
# Usage: scripts/golden_rtobj.sh
#
# Requires root, iproute2 and strace.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=golden_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden_lib.sh"

golden_require

golden_outdir=$REPO_ROOT/rtm/testdata/golden_rtobj
golden_script=golden_rtobj.sh
# RTM_NEWLINK, RTM_DELLINK, RTM_SETLINK, RTM_NEWADDRLABEL, RTM_DELADDRLABEL,
# RTM_NEWMDB, RTM_DELMDB, RTM_NEWVLAN, RTM_NEWTUNNEL, RTM_DELTUNNEL
# (little-endian).
golden_types="1000 1100 1300 4800 4900 5400 5500 7000 7800 7900"
mkdir -p "$golden_outdir"
rm -f "$golden_outdir"/*.txt

# capture NAME CMD [SETUP...]: CMD is "bridge ..." or "ip ...".
capture() {
	local name=$1 cmd=$2
	shift 2
	golden_tool=${cmd%% *}
	golden_capture "$golden_tool" "$name" "${cmd#* }" "$@"
}

br="link add br0 type bridge"
port="link add p0 type veth peer name p1"
enslave="link set dev p0 master br0"
vx="link add vx0 type vxlan dstport 4789 external"
vnif="link add vx0 type vxlan dstport 4789 external vnifilter"

# Per-port VLANs, as "bridge vlan add/del" sends them.
capture vlan-add "bridge vlan add vid 10 dev p0" "$br" "$port" "$enslave"
capture vlan-add-pvid-untagged "bridge vlan add vid 20 dev p0 pvid untagged master" "$br" "$port" "$enslave"
capture vlan-add-range "bridge vlan add vid 100-200 dev p0 untagged" "$br" "$port" "$enslave"
capture vlan-add-self "bridge vlan add vid 30 dev br0 self" "$br"
capture vlan-del "bridge vlan del vid 10 dev p0" "$br" "$port" "$enslave"
capture vlan-del-range "bridge vlan del vid 100-200 dev p0" "$br" "$port" "$enslave"
capture vlan-tunnel "bridge vlan add vid 10 dev vx0 tunnel_info id 1010" "$br" "$vx" "link set dev vx0 master br0"
capture vlan-tunnel-range "bridge vlan add vid 10-19 dev vx0 tunnel_info id 1010-1019" "$br" "$vx" "link set dev vx0 master br0"
capture vlan-set "bridge vlan set dev p0 vid 10 state 3 mcast_router 2" "$br" "$port" "$enslave"
capture vlan-set-range "bridge vlan set dev p0 vid 10-20 state 4" "$br" "$port" "$enslave"
capture vlan-global "bridge vlan global set dev br0 vid 10 mcast_snooping 1 mcast_querier 1 mcast_igmp_version 3 mcast_mld_version 2 mcast_last_member_count 3 mcast_startup_query_count 4 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3125" "$br"
capture vlan-global-range "bridge vlan global set dev br0 vid 10-20 mcast_snooping 0" "$br"

# Multicast database.
capture mdb-add "bridge mdb add dev br0 port p0 grp 239.1.1.1 permanent" "$br" "$port" "$enslave"
capture mdb-add-temp-vid "bridge mdb add dev br0 port p0 grp 239.1.1.2 temp vid 10" "$br" "$port" "$enslave"
capture mdb-add-v6-src "bridge mdb add dev br0 port p0 grp ff0e::1 src 2001:db8::1 permanent" "$br" "$port" "$enslave"
capture mdb-add-src4 "bridge mdb add dev br0 port p0 grp 232.1.1.1 src 192.0.2.1" "$br" "$port" "$enslave"
capture mdb-add-l2 "bridge mdb add dev br0 port p0 grp 01:00:5e:01:02:03 permanent" "$br" "$port" "$enslave"
capture mdb-del "bridge mdb del dev br0 port p0 grp 239.1.1.1 permanent" "$br" "$port" "$enslave"

# VXLAN VNI filters (a group needs a device with a lower device: the
# kernel refuses that one, which is recorded all the same).
capture vni-add "bridge vni add dev vx0 vni 100" "$vnif"
capture vni-add-range-group "bridge vni add dev vx0 vni 200-210 group 239.1.1.1" "$vnif"
capture vni-add-list-remote6 "bridge vni add dev vx0 vni 500,600-602,,700-700 remote 2001:db8::1" "$vnif"
capture vni-add-remote4 "bridge vni add dev vx0 vni 7 remote 192.0.2.1" "$vnif"
capture vni-del "bridge vni delete dev vx0 vni 100" "$vnif"
capture vni-del-range-group "bridge vni delete dev vx0 vni 200-210 group 239.1.1.1" "$vnif"

# Bridge port options beyond those of golden.sh's set-port.
capture port-more "ip link set dev p0 type bridge_slave fdb_flush proxy_arp_wifi on mcast_router 2 mcast_to_unicast on group_fwd_mask 0x4000 vlan_tunnel on locked on backup_port p1" "$br" "$port" "$enslave"
capture port-nobackup "ip link set dev p0 type bridge_slave mcast_router 0 nobackup_port" "$br" "$port" "$enslave"
capture bond-port "ip link set dev p0 type bond_slave queue_id 3 prio 7" "$port"

# Address labels and namespace ids.
capture addrlabel-add "ip addrlabel add prefix 2001:db8::/32 label 100"
capture addrlabel-add-dev "ip addrlabel add prefix 2001:db8:1::/48 dev p0 label 7" "$port"
capture addrlabel-del "ip addrlabel del prefix 2001:db8::/32 label 100"

echo "wrote $golden_n cases in $golden_outdir"
