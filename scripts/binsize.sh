#!/usr/bin/env bash
#
# binsize.sh measures what importing the module's packages costs a program:
# binary size, and the work done at package init.
#
# Usage: scripts/binsize.sh [-peers] [-results]
#
# It builds the small programs of internal/binsize statically, the way an
# embedded user would (CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'):
#
#	hello    hello-world, the baseline
#	links    lists the links with rtm (Handle.Links): the program issue 10
#	         compares against the peers'
#	ipnet    parses an interface address with ipnet
#	socket   opens and closes a NETLINK_ROUTE socket with socket
#	netns    opens the current network namespace with netns
#	ipdb     opens an rtm/ipdb database
#	ethtool  prints the features of lo with genl/ethtool
#
# and prints each one's size and how much it adds to hello-world. It runs
# each with GODEBUG=inittrace=1 (the programs do nothing else unless given
# the argument "run", so no socket is opened and no privilege is needed)
# and prints the allocations of the inits of packages outside the standard
# library, and of all packages.
#
# With -peers it also builds the same links-listing program written with
# vishvananda/netlink and jsimonetti/rtnetlink (bench/cmd/binsize, in the
# bench module, whose dependencies must be in the module cache). With
# -results (which implies -peers) it also writes the table into the
# "Binary size and init" section of bench/RESULTS.md, replacing the one
# there; iprbench keeps that section when it rewrites the file.
#
# It fails when
#
#   * a package of this module allocates at init, by the trace of any of
#     the programs; or
#   * a library package of this module has an init function that does
#     anything at all (the compiled init is more than a return; commands,
#     package main, are only listed): the linker drops the
#     init of a map that a program never uses, so the traces alone would
#     miss one that a bigger program pays for; or
#   * the links program adds more than $LINKS_MAX bytes to hello-world.
#
# Environment:
#
#	LINKS_MAX   the most bytes the links program may add to hello-world
#	            (default 335000; see below)
#
# Issue 10 asks for at most hello-world + 0.25 MB for the links program.
# The standard library alone puts a floor of about 164 kB under any rtm
# program: importing net (rtm's API has net.HardwareAddr) costs about 90 kB,
# and a context.Context held in an interface keeps time.Time's formatting
# (fmt finds its String method) for about 74 kB more. What is left, about
# 160 kB with Go 1.26 on amd64, is the socket, wire and rtm code that dials
# and dumps, with what it uses of the standard library (fmt.Errorf, the
# poller's deadlines, select). Four things were cut from it, 106 kB in
# all (430 kB before): errors.As, whose reflection cost 28 kB (type
# assertions do, where the error is known to be bare); unix.Bind and
# unix.Getsockname, which link every address family's conversion (32 kB;
# raw system calls on a netlink address do); the namespace code, which
# only a program that names a namespace links now (24 kB); and
# context.AfterFunc, whose cancelCtx machinery cost 20 kB (a goroutine
# does). LINKS_MAX guards what has been reached against regressions; the
# output shows the distance to the target. It was 350000 until rtm and
# genl came to share one socket pool and schema engine (internal/pool,
# internal/schema): the program grew by 1.9 kB of code, which the page
# alignment below shows as 8 kB, and the limit by as much.
#
# Sizes move in steps of 4096 bytes: the linker aligns each section of the
# file to a page, so a change of a few hundred bytes of code shows as 0 or
# 4096.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

LINKS_MAX=${LINKS_MAX:-360000}
TARGET=250000 # issue 10: hello-world + 0.25 MB
MODULE=$(go list -m)

peers=false
results=false
for arg in "$@"; do
	case $arg in
	-peers) peers=true ;;
	-results) peers=true results=true ;;
	*) die "usage: scripts/binsize.sh [-peers] [-results]" ;;
	esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() { # build DIR OUT: a static, stripped binary of the package in DIR
	CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$2" "$1"
}

failed=0

# --- static check: every init of the module is empty

# initwork PACKAGE-SYMBOL EXPORT-FILE prints the instructions of a compiled
# package init function other than a return or padding.
initwork() {
	go tool objdump -s "^$(sed 's/[.]/\\./g' <<<"$1")\\.init\$" "$2" |
		awk -F'\t' '/^  / {
			# file:line, address, encoding, then the instruction
			n = 0
			for (i = 1; i <= NF; i++) if ($i != "" && ++n == 4) break
			if (n == 4 && $i !~ /^(RET|\?|NOP|UNDEF)/) print $i
		}'
}

# Library packages must have empty inits. Commands (package main) are only
# reported: their start-up is their own business.
heading "package init functions (compiled)"
checked=0
commands=()
while read -r name pkg export; do
	[[ -n $export ]] || continue
	if [[ $name == main ]]; then
		[[ -z $(initwork main "$export") ]] || commands+=("$pkg")
		continue
	fi
	checked=$((checked + 1))
	work=$(initwork "$pkg" "$export")
	if [[ -n $work ]]; then
		echo "$pkg does work at init ($(wc -l <<<"$work") instructions), starting:"
		indent <<<"$work" | sed -n '1,8p'
		failed=1
	fi
done < <(go list -export -f '{{.Name}} {{.ImportPath}} {{.Export}}' ./...)
echo "$checked library packages: $( ((failed == 0)) && echo "no init work" || echo "SOME DO WORK AT INIT")"
if ((${#commands[@]} > 0)); then
	echo "commands that do work at init (not checked): ${commands[*]}"
fi

# --- the programs

# inittrace PROGRAM prints "ALLOCS BYTES MS" summed over the init trace
# lines of packages outside the standard library (a first path element
# with a dot), then the same over all packages, then the module's
# packages that allocated, one per line as "PACKAGE ALLOCS BYTES".
inittrace() {
	GODEBUG=inittrace=1 "$1" 2>&1 >/dev/null |
		awk -v mod="$MODULE" '
			$1 == "init" {
				pkg = $2; ms = $5; bytes = $8; allocs = $10
				ta += allocs; tb += bytes
				split(pkg, el, "/")
				if (el[1] ~ /\./) { la += allocs; lb += bytes; lms += ms }
				if ((pkg == mod || index(pkg, mod "/") == 1) && (allocs > 0 || bytes > 0))
					bad = bad pkg " " allocs " " bytes "\n"
			}
			END {
				printf "%d %d %.3f\n%d %d\n%s", la, lb, lms, ta, tb, bad
			}'
}

declare -A size
programs=(hello links ipnet socket netns ipdb ethtool)
for p in "${programs[@]}"; do
	build "./internal/binsize/$p" "$tmp/$p"
done
if $peers; then
	[[ -f bench/go.mod ]] || die "no bench module"
	for p in netlink rtnetlink; do
		(cd bench && build "./cmd/binsize/$p" "$tmp/$p")
	done
	programs+=(netlink rtnetlink)
fi

platform="$(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
declare -A what=(
	[hello]="hello-world (fmt.Println)"
	[links]="ipr: rtm, list links"
	[ipnet]="ipr: ipnet, parse an interface"
	[socket]="ipr: socket, dial and close"
	[netns]="ipr: netns, open own namespace"
	[ipdb]="ipr: rtm/ipdb, open"
	[ethtool]="ipr: genl/ethtool, features of lo"
	[netlink]="vishvananda/netlink, list links"
	[rtnetlink]="jsimonetti/rtnetlink, list links"
)
md=()
heading "static binaries (CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'), $platform"
printf '%-10s %10s %10s   %-32s %s\n' program bytes "vs hello" "init, non-std packages" "init, all packages"
for p in "${programs[@]}"; do
	size[$p]=$(stat -c %s "$tmp/$p")
	{
		read -r la lb lms
		read -r ta tb
		bad=$(cat)
	} < <(inittrace "$tmp/$p")
	d=$((size[$p] - size[hello]))
	printf '%-10s %10d %+10d   %-32s %s\n' "$p" "${size[$p]}" $d \
		"$la allocs, $lb B, $lms ms" "$ta allocs, $tb B"
	md+=("| ${what[$p]} | ${size[$p]} | $(printf %+d $d) | $la | $lb | $lms ms | $ta |")
	if [[ -n $bad ]]; then
		echo "    packages of $MODULE that allocate at init:"
		indent <<<"$bad" | sed 's/^/    /'
		failed=1
	fi
done

delta=$((size[links] - size[hello]))
verdict="$( ((delta <= TARGET)) && echo met || echo "not met, $((delta - TARGET)) over")"
echo
echo "links adds $delta bytes to hello-world: limit $LINKS_MAX," \
	"issue 10's target $TARGET ($verdict)"
if ((delta > LINKS_MAX)); then
	echo "the links program grew past LINKS_MAX" >&2
	failed=1
fi

# section prints the Markdown section for bench/RESULTS.md.
section() {
	cat <<-EOF
		## Binary size and init

		Written by \`scripts/binsize.sh -results\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $platform.
		Each program is built statically the way an embedded user would
		(\`CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'\`); the links-listing
		program is the same for every library: list the links of the namespace
		and print each one's index and name (internal/binsize/links,
		bench/cmd/binsize/netlink and bench/cmd/binsize/rtnetlink). *vs hello*
		is the difference to hello-world, in steps of 4096 bytes (the linker
		aligns sections to pages). *init* columns are GODEBUG=inittrace=1 summed
		over the packages outside the standard library (the library and its
		dependencies, golang.org/x/sys/unix included: 1 allocation of 48 B);
		*all inits* counts allocations of every package, the runtime's and the
		standard library's included.

		| program | bytes | vs hello | init allocs | init bytes | init clock | all inits (allocs) |
		|---|---:|---:|---:|---:|---:|---:|
	EOF
	printf '%s\n' "${md[@]}"
	cat <<-EOF

		No library package of ipr allocates or runs code at init (the script also checks
		each compiled init is a bare return). Issue 10's target for the links
		program, hello-world + $TARGET bytes, is $verdict: the standard library
		alone costs an rtm program about 164 kB (net, which rtm's API needs for
		net.HardwareAddr, about 90 kB; time.Time's formatting, which fmt keeps
		once a context.Context is held in an interface, about 74 kB); the rest is
		the socket, wire, netns and rtm code that dials and dumps (about 105 kB
		of machine code, as much of pclntab, 50 kB of read-only data).
		Before the schemas became static data (issue 10, item 6) the links
		program was 2269346 bytes (+684032) and rtm's init made 475 allocations
		of 252 KB in 0.3 ms.
	EOF
}

if $results; then
	out=bench/RESULTS.md
	[[ -f $out ]] || die "no $out"
	section >"$tmp/section"
	replace_section "$out" "Binary size and init" "$tmp/section"
fi
exit $failed
