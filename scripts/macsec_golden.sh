#!/usr/bin/env bash
#
# macsec_golden.sh records the requests iproute2's `ip macsec` sends for
# the commands genl/macsec builds, into genl/macsec/testdata/iproute2.txt,
# in internal/golden's format, which TestIproute2Requests (and cmd/ipr's
# TestMACsecRequestsAsIP) compare ipr's requests with.
#
# Usage: scripts/macsec_golden.sh    (as root: it uses a throwaway netns)
#
# Kernels without MACsec (CONFIG_MACSEC off) make ip stop before it sends
# anything, so the requests are caught by the LD_PRELOAD shim
# scripts/fakegenl/fakegenl.c (built here with gcc), told to fake the
# "macsec" family: it resolves the family, answers dumps empty and
# acknowledges requests. The device is the namespace's lo (ifindex 1).
#
# It then records what `ip macsec show` prints, under the same shim
# answering the dump with genl/macsec/testdata/dump.hex (two devices,
# made by genl/macsec's TestDumpFile), into
# cmd/ipr/testdata/macsecshow.txt, which TestMACsecShowAsIP compares
# ipr's output with: for each command line, "=== ARGS exit CODE bytes N",
# the N bytes ip wrote to standard output, then a newline.
#
# Last, cmd/ipr/testdata/macsecerrors.txt: ip's exit status, standard
# output and standard error for command lines it refuses (and a few it
# takes), "=== ARGS exit CODE bytes N stderr M" then the N and M bytes
# and a newline, for TestMACsecErrorsAsIP.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

work=$(mktemp -d)
ns=ipr-macsec-golden-$$
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"' EXIT
command -v gcc >/dev/null || die "gcc is needed to build the shim"
gcc -shared -fPIC -Wall -Werror -o "$work/shim.so" "$REPO_ROOT/scripts/fakegenl/fakegenl.c"
ip netns add "$ns"

# shim runs ip with the words of its arguments in the namespace, under
# the shim faking the macsec family (FAKEGENL_LOG and FAKEGENL_REPLIES
# as the caller exports them).
shim() {
	# shellcheck disable=SC2086 # the words of $* are ip's arguments
	FAKEGENL_FAMILY=macsec LD_PRELOAD=$work/shim.so ip netns exec "$ns" ip $*
}

requests=$REPO_ROOT/genl/macsec/testdata/iproute2.txt
mkdir -p "${requests%/*}"
{
	printf '# %s\n' "Requests of iproute2's ip macsec ($(ip -V)), recorded by" \
		"scripts/macsec_golden.sh in internal/golden's format: each command" \
		"line is a case (its words joined by _), with the request it sent to" \
		"the macsec family, in hex, nlmsghdr included."
	export FAKEGENL_LOG=$work/log
	while read -r line; do
		printf 'case %s\ncmd macsec %s\nlinks lo=1\n' "${line// /_}" "$line"
		: >"$FAKEGENL_LOG"
		shim macsec "$line" >/dev/null 2>&1 || die "ip macsec $line failed"
		sed 's/^/req /' "$FAKEGENL_LOG"
	done <<'COMMANDS'
show
add lo tx sa 0 pn 1 on key 01 81818181818181818181818181818181
add lo tx sa 3 pn 4294967295 off key 0123456789abcdef0123456789abcdef 8181818181818181818181818181818181818181818181818181818181818181
add lo tx sa 1 key 02 81818181818181818181818181818181 pn 100
add lo tx sa 2 xpn 4294967296 salt 838383838383838383838383 ssci 01020304 key 03 81818181818181818181818181818181
set lo tx sa 0 pn 7
set lo tx sa 0 off
set lo tx sa 1 xpn 12345678901 on
set lo tx sa 2
del lo tx sa 3
add lo rx sci 1122334455667788
add lo rx sci 1122334455667788 on
add lo rx port 11 address c6:19:52:8f:e6:a0 off
set lo rx sci 1122334455667788 off
set lo rx port 1 address 02:00:00:00:00:01 on
del lo rx sci 1122334455667788
add lo rx sci 1122334455667788 sa 0 pn 1 on key 00 82828282828282828282828282828282
add lo rx port 11 address c6:19:52:8f:e6:a0 sa 3 pn 5 key 05 8282828282828282828282828282828282828282828282828282828282828282
add lo rx sci 1122334455667788 sa 1 xpn 5 ssci 0a0b0c0d salt 010203040506070809101112 off key 06 82828282828282828282828282828282
set lo rx sci 1122334455667788 sa 0 pn 9 off
set lo rx sci 1122334455667788 sa 0
del lo rx sci 1122334455667788 sa 0
offload lo off
offload lo phy
offload lo mac
a lo tx sa 0x1 pn 0x10 key 0102030405060708090a0b0c0d0e0f1011 81818181818181818181818181818181
se lo tx sa 01 pn 010 on
de lo tx sa 2 pn 1 key 01 02
d lo rx port 0x10 address 1:2:3:4:5:6:7
add lo rx address 1:2 port 1
add lo rx address 0x1f:2:3:4:5:6 port +1 on
add lo rx address 10.1.2.3 port 65535
add lo rx sci 0x1122 off
add lo rx sci +abc sa 1 pn 1 key 01 81818181818181818181818181818181
set lo rx sci 1 sa 2 pn 3 salt 0102 ssci 0x5
set lo rx sci 1 sa 2 xpn 18446744073709551615 salt 0102 ssci 0x5
add lo tx sa 0 pn 1 key 01 8181818181818181818181818181818181 key 02 82828282828282828282828282828282
o lo ph
offload lo m foo bar
COMMANDS
} >"$requests"
echo "wrote $requests"
unset FAKEGENL_LOG

# record FILE [stderr] writes, for each command line of standard input,
# "=== LINE exit CODE bytes N" (and " stderr M"), ip's standard output
# (and error) and a newline, to FILE.
record() {
	local line code
	while read -r line; do
		code=0
		shim "$line" >"$work/out" 2>"$work/err" || code=$?
		if [[ ${2:-} == stderr ]]; then
			echo "=== $line exit $code bytes $(wc -c <"$work/out") stderr $(wc -c <"$work/err")"
			cat "$work/out" "$work/err"
		else
			echo "=== $line exit $code bytes $(wc -c <"$work/out")"
			cat "$work/out"
		fi
		echo
	done >"$1"
	echo "wrote $1"
}

FAKEGENL_REPLIES=$REPO_ROOT/genl/macsec/testdata/dump.hex record "$REPO_ROOT/cmd/ipr/testdata/macsecshow.txt" <<'COMMANDS'
macsec show
macsec show lo
-s macsec show
-s -s macsec show lo
-o macsec show
-j macsec show
-j -p macsec show
-j -s macsec show
-d macsec show lo
-c=always macsec show
-s -o macsec show lo
-j -p -s macsec show lo
-br macsec show
macsec show if7
macsec show if+7x
COMMANDS

record "$REPO_ROOT/cmd/ipr/testdata/macsecerrors.txt" stderr <<'COMMANDS'
macsec
macsec help
macsec foo
macsec sh
macsec add
macsec add nodev tx sa 0
macsec add lo
macsec add lo foo
macsec add lo tx
macsec add lo tx sa
macsec add lo tx sa 4
macsec add lo tx sa x
macsec add lo tx foo
macsec add lo tx sa 0 pn 1
macsec add lo tx sa 0 key 01 81818181818181818181818181818181
macsec add lo tx sa 0 pn 0
macsec add lo tx sa 0 pn x
macsec add lo tx sa 0 pn 4294967296
macsec add lo tx sa 0 pn 1 pn 2
macsec add lo tx sa 0 pn 1 xpn 2
macsec add lo tx sa 0 xpn 0
macsec add lo tx sa 0 on off
macsec add lo tx sa 0 off on
macsec add lo tx sa 0 foo
macsec add lo tx sa 0 pn
macsec add lo tx sa 0 salt 12345
macsec add lo tx sa 0 salt 01 salt 02
macsec add lo tx sa 0 ssci zz
macsec add lo tx sa 0 ssci 1 ssci 2
macsec add lo tx sa 0 pn 1 key 0g 81
macsec add lo tx sa 0 pn 1 key 01 8
macsec add lo tx sa 0 pn 1 key 01
macsec add lo tx sa 0 pn 1 key
macsec set lo tx sa 0 key 01 81818181818181818181818181818181
macsec del lo tx
macsec del lo tx sa 1 junk
macsec d lo tx sa 1
macsec add lo rx
macsec add lo rx foo
macsec add lo rx sci
macsec add lo rx sci zz
macsec add lo rx port 0
macsec add lo rx port x
macsec add lo rx port 1
macsec add lo rx port 1 sci 5
macsec add lo rx address 1:2:3:4:5:6 sci 5
macsec add lo rx port 1 address zz:1
macsec add lo rx port 1 address 1.2.3.4
macsec add lo rx address 1:2:3:4:5:6 port 2
macsec add lo rx sci 1 on on
macsec add lo rx sci 1 foo
macsec add lo rx sci 1 sa 5
macsec add lo rx sci 1 sa 0 pn 1
macsec set lo rx sci 1 sa 0 key 01 81818181818181818181818181818181
macsec del lo rx sci 1 sa 0 junk
macsec del lo rx sci 1 junk
macsec offload
macsec offload lo
macsec offload nodev off
macsec offload lo foo
macsec offload lo p extra
macsec show nodev
macsec show lo extra
macsec list
macsec show if
macsec show if99999999999
COMMANDS
