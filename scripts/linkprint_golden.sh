#!/usr/bin/env bash
#
# linkprint_golden.sh records what iproute2's ip prints for links of
# every kind ipr creates, including the kinds this kernel lacks, as
# golden data for cmd/ipr's link printer (TestLinkPrintAsIP prints the
# same messages through ipr and compares byte for byte).
#
# Usage: scripts/linkprint_golden.sh    (no root needed, nothing is
#                                        changed in the kernel)
#
# The messages come from cmd/ipr/testdata/linkprint/replies.txt, which
# TestLinkPrintReplies makes from rtm's fixtures (the RTM_NEWLINK requests
# ip sends to create each link, made kernel-like): this script rewrites
# it first. ip then runs under the LD_PRELOAD shim
# scripts/fakertnl/fakertnl.c (built here with gcc), which fakes
# NETLINK_ROUTE, answers ip's link dump with a case's message and its
# name lookups with the links lo=1, p1=2, p0=3.
#
# Output: cmd/ipr/testdata/linkprint/GROUP_NAME.txt for each case: for
# each option set, a line "=== OPTIONS exit CODE bytes N", then the N
# bytes ip wrote to standard output, then a newline.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v ip >/dev/null || die "ip (iproute2) is not installed"
command -v gcc >/dev/null || die "gcc is needed to build the shim"
dir=$REPO_ROOT/cmd/ipr/testdata/linkprint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -shared -fPIC -Wall -Werror -o "$tmp/fakertnl.so" "$REPO_ROOT/scripts/fakertnl/fakertnl.c"
(cd "$REPO_ROOT" && IPR_LINKPRINT_WRITE=1 go test -count=1 -run '^TestLinkPrintReplies$' ./cmd/ipr >/dev/null)

# The option sets of linkPrintOptions in cmd/ipr/link_print_golden_test.go.
options=("" "-d" "-d -o" "-j" "-j -d" "-j -p -d")

# record NAME writes the golden file of one case, whose message is in
# $tmp/msgs.
record() {
	local out=$dir/${1//\//_}.txt opts code
	: >"$out"
	for opts in "${options[@]}"; do
		code=0
		# shellcheck disable=SC2086 # options are words
		FAKERTNL_REPLIES=$tmp/msgs LD_PRELOAD=$tmp/fakertnl.so ip $opts link show >"$tmp/stdout" 2>/dev/null || code=$?
		printf '=== %s exit %d bytes %d\n' "$opts" "$code" "$(wc -c <"$tmp/stdout")" >>"$out"
		cat "$tmp/stdout" >>"$out"
		echo >>"$out"
	done
}

rm -f "$dir"/*_*.txt
name=
n=0
while IFS= read -r line; do
	case $line in
	"case "*)
		[[ -n $name ]] && record "$name"
		name=${line#case }
		: >"$tmp/msgs"
		n=$((n + 1))
		;;
	"msg "*) echo "${line#msg }" >>"$tmp/msgs" ;;
	esac
done <"$dir/replies.txt"
[[ -n $name ]] && record "$name"
echo "wrote $n cases into $dir"
