# shellcheck shell=bash
#
# fakertnl.sh: what linkprint_golden.sh and tcprint_golden.sh share to
# record iproute2's output for built netlink replies under the LD_PRELOAD
# shim scripts/fakertnl/fakertnl.c, which fakes NETLINK_ROUTE, answers
# the tool's dumps with a case's messages and its link lookups with the
# links lo=1, p1=2, p0=3. Source it after lib.sh; it defines functions
# and runs nothing.
#
# The replies file, made by a Go test from rtm's fixtures, holds per case
# a line "case NAME", optionally "cmd ARGS" (the command after the
# tool's options), and one line "msg HEX" per message. Each case's golden
# file, DIR/GROUP_NAME.txt, holds for each option set a line
# "=== OPTIONS exit CODE bytes N", the N bytes the tool wrote to standard
# output, then a newline (cmd/ipr/output_golden_test.go reads it).

# fakertnl_prepare TOOL DIR WRITEVAR TEST checks for TOOL and gcc, builds
# the shim into a temporary directory ($fakertnl_tmp, removed on exit) and
# has the Go test TEST of cmd/ipr rewrite DIR/replies.txt (WRITEVAR=1).
fakertnl_prepare() {
	local tool=$1 dir=$2 writevar=$3 test=$4
	command -v "$tool" >/dev/null || die "$tool (iproute2) is not installed"
	command -v gcc >/dev/null || die "gcc is needed to build the shim"
	fakertnl_dir=$dir
	fakertnl_tmp=$(mktemp -d)
	trap 'rm -rf "$fakertnl_tmp"' EXIT
	gcc -shared -fPIC -Wall -Werror -o "$fakertnl_tmp/fakertnl.so" "$REPO_ROOT/scripts/fakertnl/fakertnl.c"
	(cd "$REPO_ROOT" && env "$writevar=1" go test -count=1 -run "^$test\$" ./cmd/ipr >/dev/null)
}

# fakertnl_record TOOL NAME CMD OPTIONS... writes the golden file of one
# case, whose messages are in $fakertnl_tmp/msgs: TOOL run with each
# option set (one argument each), then CMD.
fakertnl_record() {
	local tool=$1 cmd=$3 out=$fakertnl_dir/${2//\//_}.txt opts code
	shift 3
	: >"$out"
	for opts in "$@"; do
		code=0
		# shellcheck disable=SC2086 # options and command are words
		FAKERTNL_REPLIES=$fakertnl_tmp/msgs LD_PRELOAD=$fakertnl_tmp/fakertnl.so "$tool" $opts $cmd >"$fakertnl_tmp/stdout" 2>/dev/null || code=$?
		printf '=== %s exit %d bytes %d\n' "$opts" "$code" "$(wc -c <"$fakertnl_tmp/stdout")" >>"$out"
		cat "$fakertnl_tmp/stdout" >>"$out"
		echo >>"$out"
	done
}

# fakertnl_record_all TOOL DEFAULTCMD OPTIONS... replaces the golden
# files of fakertnl_prepare's DIR with one per case of its replies.txt,
# each with every option set; a case without a "cmd" line runs
# DEFAULTCMD.
fakertnl_record_all() {
	local tool=$1 default=$2 line name= cmd n=0
	shift 2
	rm -f "$fakertnl_dir"/*_*.txt
	while IFS= read -r line; do
		case $line in
		"case "*)
			[[ -n $name ]] && fakertnl_record "$tool" "$name" "$cmd" "$@"
			name=${line#case }
			cmd=$default
			: >"$fakertnl_tmp/msgs"
			n=$((n + 1))
			;;
		"cmd "*) cmd=${line#cmd } ;;
		"msg "*) echo "${line#msg }" >>"$fakertnl_tmp/msgs" ;;
		esac
	done <"$fakertnl_dir/replies.txt"
	[[ -n $name ]] && fakertnl_record "$tool" "$name" "$cmd" "$@"
	echo "wrote $n cases into $fakertnl_dir"
}
