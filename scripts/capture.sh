#!/usr/bin/env bash
#
# capture.sh records raw rtnetlink replies from the running kernel, for use
# as decoder test data and fuzz seeds that come from the kernel rather than
# from our own encoder.
#
# Usage: scripts/capture.sh [OUTDIR]   (default: nltest/testdata/kernel)
#        CAPTURE_FUZZ=fuzz/testdata/fuzz scripts/capture.sh   (also seeds)
#
# It creates a throwaway network namespace, fills it with build_varied_ns
# (scripts/lib.sh: veth, bridge, vxlan, macvlan, v4/v6 addresses, routes in
# a table above 255, a multipath route, rules, neighbours), runs
# internal/capture there (dumps of links, addresses, routes, rules and
# neighbours, provoked errors with extended ACKs), and deletes the
# namespace on exit, whatever happens. Set KEEP_NS=1 to keep it for a look
# around (ip -n NAME ...); it is then printed, and yours to delete.
#
# OUTDIR/NAME.bin holds every datagram the kernel sent for one request,
# concatenated, exactly as read from the socket. The bytes are in this
# machine's byte order.
#
# Then it records the conversations that the tests replay without root
# (package nltest): it runs the tests named TestReplay* with
# NLTEST_RECORD=1, each of which builds its own namespace and writes its
# testdata/conv/*.nlconv (and, for cmd/ipr, the ip -j output to compare
# with). Re-record them whenever the requests the code sends change: a
# replay fails on any request that differs from the recorded one.
# CAPTURE_CONV=0 skips this step.
#
# Requires root, iproute2 and Go.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

outdir=$(realpath -m "${1:-nltest/testdata/kernel}")
is_root || die "capture.sh needs root to create a network namespace"
command -v ip >/dev/null || die "capture.sh needs iproute2 (ip)"

ns=ipr-capture-$$
cleanup() {
	if [[ ${KEEP_NS:-} == 1 ]]; then
		echo "kept namespace $ns; delete it with: ip netns del $ns"
	else
		ip netns del "$ns" 2>/dev/null || true
	fi
}
trap cleanup EXIT
ip netns add "$ns"
build_varied_ns "$ns"

mkdir -p "$outdir"

# internal/capture dumps every object kind with raw system calls (not
# through the ipr packages it will test) and writes each reply stream to
# OUTDIR/NAME.bin; -fuzz adds the replies as seeds of the fuzz targets.
(cd "$REPO_ROOT" && go run ./internal/capture -netns "$ns" -out "$outdir" ${CAPTURE_FUZZ:+-fuzz "$CAPTURE_FUZZ"})

echo "wrote $outdir"

if [[ ${CAPTURE_CONV:-1} == 1 ]]; then
	# The conversations the tests replay unprivileged (package nltest).
	(cd "$REPO_ROOT" && NLTEST_RECORD=1 go test -count=1 -run '^TestReplay' ./rtm/ ./genl/... ./cmd/ipr/)
	(cd "$REPO_ROOT" && git status --short -- '*/testdata/conv/*')
fi
