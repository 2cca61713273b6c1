# shellcheck shell=bash
#
# fakegenl.sh: what the golden scripts of generic-netlink families
# (fou_l2tp_golden.sh, ila_golden.sh) share to record iproute2's ip under
# the LD_PRELOAD shim scripts/fakegenl/fakegenl.c: its requests, its
# listings of built dump replies, and what it prints for command lines
# it refuses. Source it after lib.sh and call fakegenl_netns first (it
# sets $tmp and $ns); it defines functions and runs nothing.

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
		echo "## Requests of iproute2's ip ($(ip -V)) to the $fam family, recorded"
		echo "## by scripts/$(basename "$0"): '# ARGS' then each request, in hex,"
		echo "## nlmsghdr included."
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

# golden FAMILY NAME ARGS... records what ip ARGS, ip -j ARGS and ip -o
# ARGS print of NAME.replies.
golden() {
	local fam=$1 name=$2 dir=$REPO_ROOT/genl/$1/testdata
	shift 2
	replies=$dir/$name.replies shim "$fam" "$@" >"$dir/$name.golden"
	replies=$dir/$name.replies shim "$fam" -j "$@" >"$dir/$name-json.golden"
	replies=$dir/$name.replies shim "$fam" -o "$@" >"$dir/$name-oneline.golden"
	echo "wrote genl/$fam/testdata/$name*.golden"
}
