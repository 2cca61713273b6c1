#!/usr/bin/env bash
#
# bench_cli.sh compares the ipr command with ip(8), whole process against
# whole process, and prints a markdown table.
#
# Usage: scripts/bench_cli.sh [-reps N] [-ipr BINARY] [-ns NAME]
#
#	-reps N      repetitions of each command (default 5); the table holds
#	             medians
#	-loop N      runs of a command per timed repetition (default 10)
#	-ipr BINARY  the ipr binary to measure (default: built from cmd/ipr
#	             as users build it, CGO_ENABLED=0 -trimpath -s -w)
#	-ns NAME     measure in an existing namespace, already filled (by an
#	             earlier run with -fill-only); it is left in place
#	-fill-only   create and fill namespace NAME (-ns), then stop
#	-results     also write the table as the section "Command line against
#	             ip" of bench/RESULTS.md (replacing it; scripts/bench.sh
#	             keeps it)
#
# It creates the throwaway namespace ipr-cli-PID and fills it with ip
# -batch: 100 000 routes (via a gateway on a veth), 10 000 addresses and
# 5 000 more veth pairs (10 000 links), then runs "route show",
# "-j route show", "addr show" and "link show" with ip and with ipr, each
# with its output to /dev/null, under /usr/bin/time: CPU is user + system
# time, wall the elapsed time, RSS the peak resident set (ru_maxrss). The
# two outputs of each command are compared once: they must be identical.
# The namespace is deleted on exit; the root namespace is not touched.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

is_root || die "bench_cli.sh must run as root: it creates a network namespace"
[[ -x /usr/bin/time ]] || die "needs GNU time (apt-get install time)"

reps=5
loop=10
ipr=""
ns=""
fillonly=0
results=false
while (($#)); do
	case $1 in
	-reps) reps=$2; shift 2 ;;
	-loop) loop=$2; shift 2 ;;
	-ipr) ipr=$2; shift 2 ;;
	-ns) ns=$2; shift 2 ;;
	-fill-only) fillonly=1; shift ;;
	-results) results=true; shift ;;
	*) die "unknown argument $1" ;;
	esac
done

fill=1
if [[ -n $ns && $fillonly == 0 ]]; then
	fill=0
fi
[[ -n $ns ]] || ns="ipr-cli-$$"
tmp=$(mktemp -d)
cleanup() {
	if ((fill && !fillonly)); then
		ip netns del "$ns" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z $ipr ]]; then
	# Built as a user builds it (scripts/README.md): without cgo, which
	# os/user and net would otherwise pull in, making ipr a dynamically
	# linked program that starts threads through libc.
	heading "building cmd/ipr"
	(cd "$REPO_ROOT" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp/ipr" ./cmd/ipr)
	ipr=$tmp/ipr
fi

fill_ns() {
heading "filling namespace $ns"
ip netns add "$ns"
{
	echo "link set lo up"
	echo "link add dev0 type veth peer name dev0p"
	echo "link set dev0 up"
	echo "link set dev0p up"
	echo "address add 10.0.0.1/16 dev dev0"
	for ((i = 0; i < 9999; i++)); do
		echo "address add 10.1.$((i / 250)).$((i % 250 + 1))/32 dev dev0p"
	done
	for ((i = 0; i < 100000; i++)); do
		echo "route add $((100 + i / 65536)).$((i / 256 % 256)).$((i % 256)).0/24 via 10.0.0.2"
	done
	for ((i = 1; i < 5000; i++)); do
		echo "link add va$i type veth peer name vz$i"
	done
} >"$tmp/batch"
ip -n "$ns" -batch "$tmp/batch"
}
if ((fill)); then
	fill_ns
fi
if ((fillonly)); then
	exit 0
fi
routes=$(ip -n "$ns" route show | wc -l)
addrs=$(ip -n "$ns" -o addr show | wc -l)
links=$(ip -n "$ns" -o link show | wc -l)

# median prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

# measure runs one command reps times and sets cpu, wall and rss to the
# medians (seconds per run, seconds per run, KiB). Each repetition runs the
# command loop times in a row under one /usr/bin/time, whose resolution
# (10 ms) is too coarse for one run; the peak RSS it reports is that of
# the largest child, the command (the shell's is smaller).
measure() {
	local c=() w=() r=() u s e m
	for ((k = 0; k < reps; k++)); do
		# shellcheck disable=SC2016 # expanded by the inner shell
		/usr/bin/time -o "$tmp/t" -f '%U %S %e %M' \
			sh -c 'n=$1; shift; while [ "$n" -gt 0 ]; do "$@" >/dev/null || exit; n=$((n - 1)); done' sh "$loop" "$@"
		read -r u s e m <"$tmp/t"
		c+=("$(echo "($u + $s) / $loop" | bc -l)")
		w+=("$(echo "$e / $loop" | bc -l)")
		r+=("$m")
	done
	cpu=$(median "${c[@]}")
	wall=$(median "${w[@]}")
	rss=$(median "${r[@]}")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

heading "measuring ($reps repetitions, load average $(cut -d' ' -f1-3 /proc/loadavg))"
{
	echo "Namespace: $routes routes, $addrs addresses, $links links. Medians of $reps runs; ratios are ipr / ip (below 1× ipr is faster)."
	echo
	echo "| command | ip CPU ms | ipr CPU ms | CPU ratio | ip wall ms | ipr wall ms | wall ratio | ip RSS MiB | ipr RSS MiB | output |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	for cmd in "route show" "-j route show" "addr show" "link show"; do
		# shellcheck disable=SC2086 # the command is split on purpose
		{
			ip -n "$ns" $cmd >"$tmp/ip.out"
			"$ipr" -n "$ns" $cmd >"$tmp/ipr.out"
			same=identical
			cmp -s "$tmp/ip.out" "$tmp/ipr.out" || same=DIFFERENT
			measure ip -n "$ns" $cmd
			ic=$cpu iw=$wall ir=$rss
			measure "$ipr" -n "$ns" $cmd
		}
		echo "| \`$cmd\` | $(ms "$ic") | $(ms "$cpu") | $(ratio "$cpu" "$ic") | $(ms "$iw") | $(ms "$wall") | $(ratio "$wall" "$iw") | $(mib "$ir") | $(mib "$rss") | $same |"
	done
} | tee "$tmp/table"

if $results; then
	out=$REPO_ROOT/bench/RESULTS.md
	[[ -f $out ]] || die "no $out"
	{
		echo "## Command line against ip"
		echo
		echo "Generated by \`scripts/bench_cli.sh -results\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($(ip -V | head -1); $("$ipr" -V); load average $(cut -d' ' -f1-3 /proc/loadavg) after). Whole processes, output to /dev/null: \`ip -n NS CMD\` against \`ipr -n NS CMD\`; CPU is user + system time, RSS the peak resident set."
		echo
		cat "$tmp/table"
		echo
		echo "Both send the kernel the same requests, so the kernel's part of each dump (system time; for route show about 40 ms of ip's 100 at 100 000 routes, for link show about three quarters of ip's CPU, as perf shows) is a floor under both: ipr can only shorten the user-space part, which bounds its CPU ratio well above 0.5× for route show and link show. The peak RSS of route show is that of a Go process that holds next to nothing (\`ipr -V\` alone: 5.0 MiB) and stays above ip's 2.6 MiB. Wall times on a shared machine vary more than CPU times; read the CPU columns."
	} >"$tmp/section"
	replace_section "$out" "Command line against ip" "$tmp/section"
fi
