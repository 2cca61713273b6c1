#!/usr/bin/env bash
#
# fou_l2tp_golden.sh records what iproute2's `ip fou` and `ip l2tp` send
# and print, for the tests of genl/fou, genl/l2tp and cmd/ipr:
#
#   genl/<family>/testdata/iproute2.txt   '# ARGS', then each request ip
#                                         sent to the family, in hex
#   genl/<family>/testdata/show.replies   dump replies (written by the
#                                         package's TestShowReplies)
#   genl/<family>/testdata/show*.golden   what ip prints of them
#   genl/<family>/testdata/errors.golden  '# ARGS', 'exit N', then what ip
#                                         prints ('> ' stdout, '! ' stderr)
#                                         for command lines it refuses
#
# Usage: scripts/fou_l2tp_golden.sh    (as root: it uses a throwaway netns)
#
# Kernels without the families (CONFIG_NET_FOU, CONFIG_L2TP off) make ip
# stop before it sends anything, so ip runs under the LD_PRELOAD shim
# scripts/fakegenl/fakegenl.c (built here with gcc), which resolves the
# family, acknowledges every request and answers dumps with the replies
# of $FAKEGENL_REPLIES.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v gcc >/dev/null || die "gcc is needed to build the shim"
tmp=$(mktemp -d)
ns=ipr-foul2tp-golden-$$
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"' EXIT
gcc -shared -fPIC -Wall -Werror -o "$tmp/fakegenl.so" "$REPO_ROOT/scripts/fakegenl/fakegenl.c"
ip netns add "$ns"
ip -n "$ns" link set lo up

# shim FAMILY ARGS... runs ip ARGS in the netns under the shim.
shim() {
	local fam=$1
	shift
	FAKEGENL_FAMILY=$fam FAKEGENL_LOG=$tmp/log FAKEGENL_REPLIES=${replies:-/dev/null} \
		LD_PRELOAD=$tmp/fakegenl.so ip -n "$ns" "$@"
}

# record FAMILY < COMMANDS writes the requests of each command line.
record() {
	local fam=$1 out=$REPO_ROOT/genl/$1/testdata/iproute2.txt
	mkdir -p "$(dirname "$out")"
	{
		echo "# Requests of iproute2's ip ($(ip -V)) to the $fam family, recorded"
		echo "# by scripts/fou_l2tp_golden.sh: '# ARGS' then each request, in hex,"
		echo "# nlmsghdr included."
		while read -r args; do
			echo "# $args"
			: >"$tmp/log"
			# shellcheck disable=SC2086 # args are words
			shim "$fam" $args >/dev/null 2>&1 || die "ip $args failed"
			cat "$tmp/log"
		done
	} >"$out"
	echo "wrote $out"
}

# errors FAMILY < COMMANDS records what ip prints and its exit status.
errors() {
	local fam=$1 out=$REPO_ROOT/genl/$1/testdata/errors.golden code
	{
		while read -r args; do
			echo "# $args"
			code=0
			# shellcheck disable=SC2086 # args are words
			shim "$fam" $args >"$tmp/out" 2>"$tmp/err" || code=$?
			echo "exit $code"
			sed 's/^/> /' "$tmp/out"
			sed 's/^/! /' "$tmp/err"
		done
	} >"$out"
	echo "wrote $out"
}

# golden FAMILY NAME ARGS... records what ip prints of show.replies.
golden() {
	local fam=$1 name=$2
	shift 2
	replies=$REPO_ROOT/genl/$fam/testdata/show.replies shim "$fam" "$@" >"$REPO_ROOT/genl/$fam/testdata/$name.golden"
	echo "wrote genl/$fam/testdata/$name.golden"
}

record fou <<'COMMANDS'
fou add port 5555 ipproto 4
fou add port 5556 gue
fou add port 0x15b5 ipproto gre local 10.0.0.1 peer 10.0.0.2 peer_port 6000 dev lo
fou add port 5558 gue -6 local fd00::1 peer fd00::2 peer_port 7000
-6 fou add port 5559 ipproto ipv6
fou a p 5560 ipp ipencap lo 192.0.2.1 pe 192.0.2.2 peer_p 1 d lo
fou add port 5561 ipproto 255
fou del port 5555
fou del port 5556 gue
fou delete port 5558 -6 local fd00::1 peer fd00::2 peer_port 7000 dev lo
fou del port 5557 ipproto 47
fou show
COMMANDS

(cd "$REPO_ROOT" && IPR_WRITE_REPLIES=1 go test -count=1 -run TestShowReplies ./genl/fou >/dev/null)
golden fou show fou show
golden fou show-json -j fou show

errors fou <<'COMMANDS'
fou
fou help
fou h
fou bogus
fou add port
fou add port 0
fou add port 70000
fou add port x
fou add port -1
fou add port 1 ipproto
fou add port 1 ipproto 0
fou add port 1 ipproto 256
fou add port 1 ipproto nonesuch
fou add port 1 foo
fou add port 1 gue peer_port 0
fou add port 1 gue dev nonesuch0
fou add port 1 gue dev a/b
fou add port 1 gue local fd00::1
fou add port 1 gue -6 local 10.0.0.1
fou add port 1 gue local bogus
fou add port 1 gue peer 10.1.1.1 peer_port 2 local ::1
fou del port 1 peer
fou show extra
COMMANDS
