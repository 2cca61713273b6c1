#!/usr/bin/env bash
#
# golden_bridgelink.sh records the requests iproute2's bridge sends for
# "bridge link set" (bridge/link.c's brlink_modify: an AF_BRIDGE
# RTM_SETLINK with IFLA_PROTINFO and IFLA_AF_SPEC), as golden data for
# cmd/ipr (TestBridgeLinkSetMatchesBridgeRequests sends the same commands
# through ipr to a fake kernel and compares the bytes), with
# golden_lib.sh, in golden.sh's format, into
# cmd/ipr/testdata/golden_bridgelink/bridge.txt. The kernel need not
# accept a request (a veth has no hardware bridge mode for hwmode or
# self): a refused request is recorded all the same.
#
# Usage: scripts/golden_bridgelink.sh
#
# Requires root, iproute2 and strace.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=golden_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden_lib.sh"

command -v strace >/dev/null || die "strace is missing (apt-get install strace)"
[[ $(id -u) == 0 ]] || die "golden_bridgelink.sh needs root"

golden_outdir=$REPO_ROOT/cmd/ipr/testdata/golden_bridgelink
golden_script=golden_bridgelink.sh
golden_tool=bridge
golden_types="1300" # RTM_SETLINK (little-endian)
mkdir -p "$golden_outdir"
rm -f "$golden_outdir"/*.txt

setup=("link add br0 type bridge" "link add p0 type veth peer name q0" "link add p1 type veth peer name q1"
	"link set dev p0 master br0" "link set dev p1 master br0")
capture() {
	golden_capture bridge "$1" "$2" "${setup[@]}"
}

capture hwmode-vepa "link set dev p0 hwmode vepa"
capture hwmode-veb-self "link set dev br0 hwmode veb self"
capture self "link set dev p0 self"
capture master-learning-sync "link set dev p0 master learning_sync on"
capture hwmode-master "link set dev p0 cost 5 hwmode veb master learning on priority 3"
capture self-master-hwmode "link set dev p0 master self hwmode vepa"
capture every-setting "link set dev p0 guard on hairpin off fastleave on root_block off flood on mcast_router 2 mcast_flood off bcast_flood on mcast_to_unicast on learning off learning_sync off cost 7 priority 9 state 3 neigh_suppress on vlan_tunnel off isolated on locked off backup_port p1"
capture unset "link set dev p0 cost 0 priority -1 state -1 mcast_router -1 nobackup_port"
capture nothing "link set dev p0"
capture wrapped "link change dev p0 state blocking priority 70000 cost 3 cost 0 mcast_router 300"
capture state-overflow "link set dev p0 state 99999999999999999999 learning on learning off"

echo "wrote $golden_n cases in $golden_outdir"
