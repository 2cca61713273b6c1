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
# shellcheck source-path=SCRIPTDIR source=lib/fakertnl.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/fakertnl.sh"

options=("" "-s" "-d" "-s -d" "-p -s -d" "-j" "-j -s -d" "-j -p -s -d")

fakertnl_prepare tc "$REPO_ROOT/cmd/ipr/testdata/tcprint" IPR_TCPRINT_WRITE TestTCPrintReplies
fakertnl_record_all tc "" "${options[@]}"
