#!/usr/bin/env bash
#
# tcprint_golden.sh records what iproute2's tc prints for qdiscs, classes,
# filters and actions of every kind, including the kinds this kernel
# lacks, as golden data for cmd/ipr's printers (TestTCPrintAsTC prints
# the same messages through ipr and compares byte for byte).
#
# Usage: scripts/tcprint_golden.sh    (no root needed, nothing is changed
#                                      in the kernel)
#
# The messages come from cmd/ipr/testdata/tcprint/replies.txt, which
# TestTCPrintReplies makes from rtm/tc's fixtures (the bytes tc sends to
# add each object, made kernel-like: handles, reference counts,
# statistics and each kind's extended statistics): this script rewrites
# it first. tc then runs under an LD_PRELOAD shim
# (scripts/fakertnl/fakertnl.c, built here with gcc) that fakes
# NETLINK_ROUTE and answers tc's dump with a case's messages and its
# link lookups with the links lo=1, p1=2, p0=3.
#
# Output: cmd/ipr/testdata/tcprint/GROUP_NAME.txt for each case: for each
# option set, a line "=== OPTIONS exit CODE bytes N", then the N bytes
# tc wrote to standard output, then a newline.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v tc >/dev/null || die "tc (iproute2) is not installed"
command -v gcc >/dev/null || die "gcc is needed to build the shim"
dir=$REPO_ROOT/cmd/ipr/testdata/tcprint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -shared -fPIC -Wall -Werror -o "$tmp/fakertnl.so" "$REPO_ROOT/scripts/fakertnl/fakertnl.c"
(cd "$REPO_ROOT" && IPR_TCPRINT_WRITE=1 go test -count=1 -run '^TestTCPrintReplies$' ./cmd/ipr >/dev/null)

options=("" "-s" "-d" "-s -d" "-p -s -d" "-j" "-j -s -d" "-j -p -s -d")

# record NAME CMD writes the golden file of one case, whose messages are
# in $tmp/msgs.
record() {
	local name=$1 cmd=$2 out=$dir/${1//\//_}.txt opts code
	: >"$out"
	for opts in "${options[@]}"; do
		code=0
		# shellcheck disable=SC2086 # options and command are words
		FAKERTNL_REPLIES=$tmp/msgs LD_PRELOAD=$tmp/fakertnl.so tc $opts $cmd >"$tmp/stdout" 2>/dev/null || code=$?
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
		[[ -n $name ]] && record "$name" "$cmd"
		name=${line#case }
		: >"$tmp/msgs"
		n=$((n + 1))
		;;
	"cmd "*) cmd=${line#cmd } ;;
	"msg "*) echo "${line#msg }" >>"$tmp/msgs" ;;
	esac
done <"$dir/replies.txt"
[[ -n $name ]] && record "$name" "$cmd"
echo "wrote $n cases into $dir"
