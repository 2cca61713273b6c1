# shellcheck shell=bash
#
# lib.sh: helpers shared by the scripts in this directory. Source it; it
# defines functions and a few variables and runs nothing else.
#
#	. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# REPO_ROOT is the top of the repository, whatever the caller's directory.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT

# A fresh machine or a CI environment may not have Go on PATH yet.
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
	export PATH
fi

# heading prints a banner that is easy to find in a long CI log.
heading() {
	printf '\n==> %s\n' "$*"
}

# warn prints a message that must not be missed to standard error.
warn() {
	printf '\n!!! WARNING: %s\n\n' "$*" >&2
}

# die prints an error and exits.
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# indent copies standard input to standard output, indented.
indent() {
	sed 's/^/    /'
}

# replace_section FILE HEADING SECTION replaces the Markdown section of
# FILE headed "## HEADING" (up to the next "## " heading) with the
# contents of file SECTION, or appends them when FILE has no such
# section; no blank line is doubled where sections meet. The scripts that
# measure write their own section of bench/RESULTS.md so.
replace_section() {
	local file=$1 heading=$2 section=$3 new
	new=$(mktemp)
	awk -v sec="$section" -v head="## $heading" '
		function put() { while ((getline l < sec) > 0) print l; done = 1 }
		$0 == head { skip = 1; put(); print ""; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) { print ""; put() } }' "$file" >"$new"
	cat -s "$new" >"$file"
	rm -f "$new"
	echo "wrote the section \"$heading\" of $file"
}

# is_ci reports whether we run under CI, where nothing may be skipped quietly.
is_ci() {
	[[ ${CI:-} == true || ${CI:-} == 1 ]]
}

# is_root reports whether we run as root.
is_root() {
	[[ $(id -u) -eq 0 ]]
}

# has_go_files reports whether directory $1 holds a Go package of its own.
has_go_files() {
	compgen -G "$1/*.go" >/dev/null
}

# duration_seconds prints the length of a go test -fuzztime style duration
# such as 10s, 2m, 1m30s or 500ms, in whole seconds (rounded down, at least
# 0). It fails for anything else, such as an iteration count like 1000x.
duration_seconds() {
	local d=$1 total=0 n unit
	[[ $d =~ ^([0-9]+(ms|s|m|h))+$ ]] || return 1
	while [[ $d =~ ^([0-9]+)(ms|s|m|h)(.*)$ ]]; do
		n=$((10#${BASH_REMATCH[1]}))
		unit=${BASH_REMATCH[2]}
		d=${BASH_REMATCH[3]}
		case $unit in
		ms) total=$((total + n / 1000)) ;;
		s) total=$((total + n)) ;;
		m) total=$((total + n * 60)) ;;
		h) total=$((total + n * 3600)) ;;
		esac
	done
	echo "$total"
}

# now prints the time in seconds with a fraction, for step timings.
now() {
	echo "${EPOCHREALTIME:-$(date +%s)}"
}

# elapsed prints the seconds since $1 (a value of now) with one decimal.
elapsed() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}

# ensure_qemu makes sure the user-mode emulator qemu-$1-static (or qemu-$1)
# is on PATH and prints its path. It installs Debian's qemu-user-static when
# it can (root, apt-get present). When it cannot, it fails; callers decide
# whether that is fatal.
ensure_qemu() {
	local arch=$1 bin
	for bin in "qemu-$arch-static" "qemu-$arch"; do
		if command -v "$bin" >/dev/null 2>&1; then
			command -v "$bin"
			return 0
		fi
	done
	if apt_install qemu-user-static; then
		command -v "qemu-$arch-static" && return 0
	fi
	return 1
}

# apt_install installs the Debian package $1 with apt-get when it can
# (root, apt-get present), quietly unless it fails.
apt_install() {
	is_root && command -v apt-get >/dev/null 2>&1 || return 1
	echo "installing $1 with apt-get" >&2
	local log
	log=$(mktemp)
	if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 ||
		! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"$1" >>"$log" 2>&1 </dev/null; then
		cat "$log" >&2
		rm -f "$log"
		return 1
	fi
	rm -f "$log"
}

# ensure_tool makes sure the command $1 is on PATH, installing the Debian
# package $2 (default: $1) when it can; it fails when it cannot.
ensure_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	apt_install "${2:-$1}" && command -v "$1" >/dev/null 2>&1
}

# build_varied_ns NAME fills the existing network namespace NAME with a
# small but varied network state, so that dumps of links, addresses, routes,
# rules and neighbours taken inside it exercise many attribute kinds:
#
#	veth0 <-> veth1   veth pair, veth1 enslaved to br0
#	br0               bridge with one port, veth1
#	vx0               VXLAN (VNI 42) over veth0
#	mv0               macvlan (bridge mode) on veth0
#	addresses         IPv4 and IPv6, including a secondary and a /32
#	routes            main table, table 1000 (above 255, so only
#	                  RTA_TABLE can carry it), a multipath route,
#	                  an IPv6 route, a blackhole route
#	rules             one policy rule per family into table 1000
#	neighbours        permanent IPv4 and IPv6 neighbours, a bridge fdb entry
#
# Addresses come from the documentation ranges (RFC 5737, RFC 3849): nothing
# here is meant to reach a real network, and nothing is ever sent.
# Requires root and iproute2. The kernel must offer veth, bridge, vxlan and
# macvlan; dummy and vlan are avoided because some kernels lack them.
build_varied_ns() {
	local ns=$1
	local ip=(ip -n "$ns")

	"${ip[@]}" link set lo up

	"${ip[@]}" link add veth0 type veth peer name veth1
	"${ip[@]}" link add br0 type bridge
	"${ip[@]}" link set veth1 master br0
	"${ip[@]}" link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 dev veth0
	"${ip[@]}" link add mv0 link veth0 type macvlan mode bridge
	"${ip[@]}" link set veth0 mtu 1400
	local l
	for l in veth0 veth1 br0 vx0 mv0; do
		"${ip[@]}" link set "$l" up
	done

	"${ip[@]}" addr add 192.0.2.1/24 dev veth0
	"${ip[@]}" addr add 192.0.2.2/24 dev veth0 # secondary
	"${ip[@]}" addr add 198.51.100.1/32 dev lo
	"${ip[@]}" addr add 203.0.113.1/24 brd + dev br0 label br0:a
	"${ip[@]}" addr add 2001:db8:1::1/64 dev veth0 nodad
	"${ip[@]}" addr add 2001:db8:2::1/64 dev br0 nodad preferred_lft 300 valid_lft 600
	"${ip[@]}" addr add 203.0.113.65/26 dev mv0

	"${ip[@]}" route add 198.51.100.0/25 via 192.0.2.254 dev veth0 metric 10
	"${ip[@]}" route add 198.51.100.128/25 \
		nexthop via 192.0.2.253 dev veth0 weight 1 \
		nexthop via 203.0.113.254 dev br0 weight 3
	"${ip[@]}" route add blackhole 192.0.2.128/25 table 1000
	"${ip[@]}" route add default via 203.0.113.254 dev br0 table 1000
	"${ip[@]}" -6 route add 2001:db8:100::/48 via 2001:db8:1::fe dev veth0 metric 5
	"${ip[@]}" -6 route add 2001:db8:200::/48 dev br0 table 1000

	"${ip[@]}" rule add from 192.0.2.0/24 to 198.51.100.0/24 table 1000 priority 1000
	"${ip[@]}" -6 rule add from 2001:db8:1::/64 table 1000 priority 1001

	"${ip[@]}" neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev veth0 nud permanent
	"${ip[@]}" neigh add 2001:db8:1::10 lladdr 02:00:00:00:00:0b dev veth0 nud permanent
	"${ip[@]}" neigh add 203.0.113.10 lladdr 02:00:00:00:00:0c dev br0 nud permanent
	"${ip[@]}" link set veth1 type bridge_slave learning on
	bridge -n "$ns" fdb add 02:00:00:00:00:0d dev veth1 master static

	# Multicast database entries of every kind, address labels, netconf
	# settings that differ from the defaults.
	bridge -n "$ns" mdb add dev br0 port veth1 grp 239.1.1.1 permanent
	bridge -n "$ns" mdb add dev br0 port veth1 grp 239.1.1.2 temp vid 0
	bridge -n "$ns" mdb add dev br0 port veth1 grp ff0e::5 src 2001:db8::1 permanent
	bridge -n "$ns" mdb add dev br0 port veth1 grp 01:00:5e:01:02:03 permanent
	"${ip[@]}" addrlabel add prefix 2001:db8:1::/48 dev veth0 label 100
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.veth0.forwarding=1 net.ipv4.conf.br0.rp_filter=2
}

# last_request_hex reads an strace log made with "-e write=all -xx" on
# stdin and prints, as lower-case hex, the last netlink request in it
# whose type is one of TYPES (little-endian hex, "1000" for 16), seq and
# pid zeroed. golden.sh, golden_tc.sh and golden_lib.sh record requests
# with it.
last_request_hex() {
	awk -v types="$*" '
	BEGIN { n = split(types, tl, " "); for (i = 1; i <= n; i++) want[tl[i]] = 1 }
	{ sub(/^[0-9]+ +/, "") }
	/^sendmsg\(/ { if (cur != "") bufs[nb++] = cur; cur = ""; next }
	/^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { h = substr($0, 11, 49); gsub(/ /, "", h); cur = cur h }
	END {
		if (cur != "") bufs[nb++] = cur
		for (i = nb - 1; i >= 0; i--) {
			if (substr(bufs[i], 9, 4) in want) {
				b = bufs[i]
				print substr(b, 1, 16) "0000000000000000" substr(b, 33)
				exit
			}
		}
	}'
}

# fakegenl_netns PREFIX builds scripts/fakegenl's LD_PRELOAD shim into
# $tmp/fakegenl.so and adds a throwaway network namespace $ns (PREFIX and
# the shell's pid); both go when the script exits. Needs gcc and root.
fakegenl_netns() {
	command -v gcc >/dev/null || die "gcc is needed to build the shim"
	tmp=$(mktemp -d)
	ns=$1-$$
	trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"' EXIT
	gcc -shared -fPIC -Wall -Werror -o "$tmp/fakegenl.so" "$REPO_ROOT/scripts/fakegenl/fakegenl.c"
	ip netns add "$ns"
}
