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

# YNL families: SPEC OUTDIR PACKAGE [FLAGS], one a line. A genl family
# package takes the constants and the by-name schemas (internal/schema),
# or with -consts the constants alone. A spec not generated in full into
# a package generates into the golden files of the ynl generator's test
# (tools/gen/testdata/ynl/*.go.golden), which otherwise compares with the
# package's.
while read -r spec out pkg flags; do
	# shellcheck disable=SC2086 # flags are words
	go run . ynl -spec "$spec" -out "$out" -pkg "$pkg" $flags "${check[@]}"
done <<'FAMILIES'
specs/nlctrl.yaml ../../genl/nlctrl nlctrl -consts
specs/devlink.yaml ../../genl/devlink devlink
specs/ethtool.yaml ../../genl/ethtool ethtool -ops
specs/mptcp_pm.yaml ../../genl/mptcp mptcp
specs/netdev.yaml ../../genl/netdev netdev
specs/tcp_metrics.yaml ../../genl/tcpmetrics tcpmetrics
specs/nlctrl.yaml testdata/ynl golden
specs/rt_addr.yaml testdata/ynl golden
specs/tc.yaml ../../rtm/tc tc
FAMILIES
if ((${#check[@]} > 0)); then
	echo "generated files are current"
else
	echo "generated files written"
fi
