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
# shellcheck source-path=SCRIPTDIR source=lib/fakertnl.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/fakertnl.sh"

# The option sets of linkPrintOptions in cmd/ipr/link_print_golden_test.go.
options=("" "-d" "-d -o" "-j" "-j -d" "-j -p -d")

fakertnl_prepare ip "$REPO_ROOT/cmd/ipr/testdata/linkprint" IPR_LINKPRINT_WRITE TestLinkPrintReplies
fakertnl_record_all ip "link show" "${options[@]}"
