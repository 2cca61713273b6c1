#!/usr/bin/env bash
#
# bench.sh benchmarks ipr against its peers side by side, in one run.
#
# Usage: scripts/bench.sh [-quick] [-only REGEXP]
#
#	(none)     the full run: 100 000 routes, 10 000 links, neighbours and
#	           addresses; about 15 minutes on 2 cores
#	-quick     a smoke run with smaller sizes, about 2 minutes; its numbers
#	           are not for comparison
#	-only RE   only the workloads whose name matches RE (route-dump,
#	           link-dump, addr-dump, neigh-dump, route-get, route-add, veth,
#	           events, ipdb-start, parse-v4, ..., collapse, summarize, exclude)
#
# It builds bench/cmd/iprbench from the bench module (a module of its own,
# so that the peers never enter the root go.mod), creates the throwaway
# namespace ipr-bench-PID, fills it with iproute2, runs every contestant in
# a process of its own, checks that they agree, and prints a markdown table
# of medians and ratios, also written to bench/RESULTS.md. The namespace is
# deleted on exit, however the run ends; the root namespace is not touched.
#
# Needs root, iproute2, python3 and Debian's python3-pyroute2
# (apt-get install -y python3-pyroute2); a missing pyroute2 shows as an
# error in its rows.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

is_root || die "bench.sh must run as root: it creates a network namespace"

ns="ipr-bench-$$"
bin=$(mktemp -d)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

heading "building bench/cmd/iprbench"
(cd "$REPO_ROOT/bench" && go build -o "$bin/iprbench" ./cmd/iprbench)

heading "running (namespace $ns, load average $(cut -d' ' -f1-3 /proc/loadavg))"
cd "$REPO_ROOT/bench"
"$bin/iprbench" -ns "$ns" -py "$REPO_ROOT/bench/py" -out "$REPO_ROOT/bench/RESULTS.md" "$@"
