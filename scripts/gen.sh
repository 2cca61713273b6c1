#!/usr/bin/env bash
#
# gen.sh regenerates every generated file of the repository with the
# generator in tools/gen (a Go module of its own), or checks them.
#
# Usage: scripts/gen.sh [-check]
#
# With -check nothing is written; the script fails, naming the files, when
# a committed file differs from what the generator writes.
#
# Needs only Go: the generator's inputs are committed (tools/gen/rtnl: the
# pyroute2 extract and the uapi headers; tools/gen/specs: the kernel's YNL
# specs). Its one dependency, gopkg.in/yaml.v3, comes from the module
# proxy or the module cache.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT/tools/gen"

check=()
case ${1:-} in
"") ;;
-check) check=(-check) ;;
*) die "usage: scripts/gen.sh [-check]" ;;
esac

# rtm/zschema_*.go: the by-name schemas of rtnetlink messages.
go run . rtnl "${check[@]}"

# YNL families: SPEC OUTDIR PACKAGE, one a line. Until genl packages
# exist, the specs generate into the golden files of the ynl skeleton's
# test (tools/gen/testdata/ynl).
while read -r spec out pkg; do
	go run . ynl -spec "$spec" -out "$out" -pkg "$pkg" "${check[@]}"
done <<'FAMILIES'
specs/netdev.yaml testdata/ynl golden
specs/rt_addr.yaml testdata/ynl golden
specs/tcp_metrics.yaml testdata/ynl golden
FAMILIES
if ((${#check[@]} > 0)); then
	echo "generated files are current"
else
	echo "generated files written"
fi
