#!/usr/bin/env bash
#
# capture.sh records raw rtnetlink replies from the running kernel, for use
# as decoder test data and fuzz seeds that come from the kernel rather than
# from our own encoder.
#
# Usage: scripts/capture.sh [OUTDIR]      (default: ./capture-out)
#
# It creates a throwaway network namespace, fills it with build_varied_ns
# (scripts/lib.sh: veth, bridge, vxlan, macvlan, v4/v6 addresses, routes in
# a table above 255, a multipath route, rules, neighbours), dumps links,
# addresses, routes, rules and neighbours there, provokes an error reply,
# and deletes the namespace on exit, whatever happens. Set KEEP_NS=1 to
# keep it for a look around (ip -n NAME ...); it is then printed, and yours
# to delete.
#
# OUTDIR/<what>/NNN.bin holds the payload of each datagram the kernel sent
# for one request, one file per recvmsg: a sequence of netlink messages,
# header included, exactly as read from the socket. OUTDIR/<what>.strace is
# the strace log it came from, and OUTDIR/<what>.txt what ip printed, as an
# oracle for the decoded values. ip often dumps all links first to map
# names and indexes, so a directory may begin with link messages.
#
# Requires root, iproute2, strace and perl (perl-base, always on Debian).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

outdir=${1:-capture-out}
is_root || die "capture.sh needs root to create a network namespace"
command -v ip >/dev/null || die "capture.sh needs iproute2 (ip)"
command -v strace >/dev/null || die "capture.sh needs strace (apt-get install strace)"

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

# TODO(lead): replace the strace capture below with
#
#	go run ./internal/capture -netns "$ns" -out "$outdir"
#
# which sends each request itself and so controls the flags (NLM_F_DUMP
# with and without strict checking, extended ACKs, IFLA_EXT_MASK) and
# records the request bytes next to the reply. Until then, the replies are
# those to iproute2's own requests, lifted out of strace's hex dumps.

# capture NAME TOOL ARGS... runs TOOL -n $ns ARGS (TOOL is ip or bridge) under strace and splits the
# received datagrams into $outdir/NAME/NNN.bin. A failing command is
# expected for error replies and is not fatal.
capture() {
	local name=$1 tool=$2
	shift 2
	local dir=$outdir/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	# -e read=all hex-dumps every buffer received; MSG_PEEK probes receive
	# into an empty buffer and so add no dump.
	strace -qq -f -e trace=recvmsg -e read=all -o "$outdir/$name.strace" \
		"$tool" -n "$ns" "$@" >"$outdir/$name.txt" 2>&1 || true
	perl -e '
		my ($dir) = @ARGV; my ($n, $fh) = (0, undef);
		while (<STDIN>) {
			if (/^\s*(?:\d+\s+)?\* \d+ bytes in buffer/) {
				close $fh if $fh;
				open $fh, ">:raw", sprintf("%s/%03d.bin", $dir, $n++) or die "$!";
			} elsif ($fh && /^\s*(?:\d+\s+)?\| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})/) {
				(my $hex = $1) =~ s/\s+//g;
				print $fh pack("H*", $hex);
			}
		}
		close $fh if $fh;
		print "$n\n";
	' "$dir" <"$outdir/$name.strace" |
		{
			read -r count
			printf '%-8s %3d datagram(s)  %s -n NS %s\n' "$name" "$count" "$tool" "$*"
		}
}

capture link ip -d link show
capture addr ip addr show
capture route4 ip -4 route show table all
capture route6 ip -6 route show table all
capture rule4 ip -4 rule show
capture rule6 ip -6 rule show
capture neigh ip neigh show
capture fdb bridge fdb show
# An error reply with an extended ACK message ("Address not found").
capture error ip addr del 192.0.2.99/24 dev veth0

echo "wrote $outdir"
