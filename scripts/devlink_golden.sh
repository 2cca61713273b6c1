#!/usr/bin/env bash
#
# devlink_golden.sh records the requests iproute2's devlink sends for the
# commands genl/devlink builds, into genl/devlink/testdata/iproute2.txt,
# which TestIproute2Requests compares ipr's requests with.
#
# Usage: scripts/devlink_golden.sh    (as root: it uses a throwaway netns)
#
# Kernels without devlink (CONFIG_NET_DEVLINK off) make devlink(8) stop
# before it sends anything, so the requests are caught by an LD_PRELOAD
# shim (scripts/fakegenl/fakegenl.c, built here with gcc) that fakes
# generic netlink for devlink alone: it resolves the family, answers
# dumps empty, acknowledges requests and answers PARAM_GET with one u32
# parameter so that `devlink dev param set` goes on to its PARAM_SET.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v devlink >/dev/null || die "devlink (iproute2) is not installed"
fakegenl_netns ipr-devlink-golden

out=$REPO_ROOT/genl/devlink/testdata/iproute2.txt
mkdir -p "$(dirname "$out")"
{
	echo "# Requests of iproute2's devlink ($(devlink -V)), recorded by"
	echo "# scripts/devlink_golden.sh: '# ARGS' then each request to the devlink"
	echo "# family, in hex, nlmsghdr included."
	while read -r args; do
		echo "# $args"
		: >"$tmp/log"
		# shellcheck disable=SC2086 # args are words
		FAKEGENL_LOG=$tmp/log LD_PRELOAD=$tmp/fakegenl.so ip netns exec "$ns" devlink $args >/dev/null 2>&1 ||
			die "devlink $args failed"
		cat "$tmp/log"
	done <<'COMMANDS'
dev show
dev show pci/0000:01:00.0
port show
port show pci/0000:01:00.0/1
dev info
dev info pci/0000:01:00.0
dev param show
dev param show pci/0000:01:00.0 name max_macs
dev param set pci/0000:01:00.0 name max_macs value 32 cmode driverinit
COMMANDS
} >"$out"
echo "wrote $out"
