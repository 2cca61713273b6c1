#!/usr/bin/env bash
#
# ila_golden.sh records what iproute2's `ip ila` sends and prints, for
# the tests of genl/ila and cmd/ipr:
#
#   genl/ila/testdata/iproute2.txt   '# ARGS', then each request ip sent to
#                                    the family, in hex
#   genl/ila/testdata/list.replies   dump replies (written by the
#                                    package's TestShowReplies)
#   genl/ila/testdata/list*.golden   what ip prints of them: text, -j
#                                    (list-json), -o (list-oneline)
#   genl/ila/testdata/errors.golden  '# ARGS', 'exit N', then what ip
#                                    prints ('> ' stdout, '! ' stderr) for
#                                    command lines it refuses, and for a
#                                    listing of nothing
#
# Usage: scripts/ila_golden.sh    (as root: it uses a throwaway netns)
#
# A kernel without the family (CONFIG_IPV6_ILA off) makes ip stop before
# it sends anything, so ip runs under the LD_PRELOAD shim
# scripts/fakegenl/fakegenl.c, as in fou_l2tp_golden.sh. Only the
# command lines on which ip stops are recorded as errors: where ip prints
# a complaint and sends its request all the same (a bad locator, a
# missing one, an unknown device), ipr stops (cmd/ipr's TestILA).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib/fakegenl.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/fakegenl.sh"

# The namespace has lo, index 1, for "dev lo".
fakegenl_netns ipr-ila-golden

record ila <<'COMMANDS'
ila add loc_match 2001:db8:1:2 loc 2001:db8:3:4
ila add loc_match 0:0:0:1 loc ffff:ffff:ffff:ffff dev lo csum-mode neutral-map ident-type luid
ila a loc_m 1:2:3:4 l 5:6:7:8 c adj-transport i use-format
ila add loc 10:20:30:40 loc_match 0x1:0X2:3:4 csum-mode no-action dev lo
ila add loc_match 1:2:3:4 loc 5:6:7:8 csum-mode neutral-map-auto
ila del loc_match 2001:db8:1:2
ila delete loc_match 1:2:3:4 loc 5:6:7:8 dev lo
ila d loc 1:2:3:4
ila list
COMMANDS

(cd "$REPO_ROOT" && IPR_WRITE_REPLIES=1 go test -count=1 -run TestShowReplies ./genl/ila >/dev/null)
golden ila list ila list

errors ila <<'COMMANDS'
ila list
-j ila list
ila
ila help
ila h
ila show
ila bogus
ila list extra
ila add loc
ila add loc_match
ila add csum-mode
ila add ident-type
ila add dev
ila add loc 1:2:3:4 foo
ila del bogus 1
COMMANDS
