#!/usr/bin/env bash
#
# privcount.sh counts how much of the test suite runs without root: it builds
# every package's test binary once, runs each as root and again as an
# unprivileged user (nobody, through setpriv), and prints per package and in
# total how many tests (top-level and subtests) passed and skipped in each run.
#
# Usage: scripts/privcount.sh [-user NAME] [PACKAGE...]   (default ./...)
#
# Issue #12 asks that unprivileged `go test ./...` pass at least half of the
# tests that pass as root. Must run as root. Leaves nothing behind.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

user=nobody
if [[ ${1:-} == -user ]]; then
	user=$2
	shift 2
fi
[[ $(id -u) == 0 ]] || { echo "privcount.sh: must run as root" >&2; exit 2; }
pkgs=("${@:-./...}")

work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

count() { # file → "passed skipped"
	awk '/^ *--- PASS/{p++} /^ *--- SKIP/{s++} END{printf "%d %d", p, s}' "$1"
}

tp=0 ts=0 up=0 us=0
printf '%-40s %8s %8s %8s %8s\n' package root-ok root-skip user-ok user-skip
while read -r pkg dir; do
	bin=$work/$(echo "$pkg" | tr / _).test
	go test -c -o "$bin" "$pkg" >/dev/null 2>&1 || { echo "$pkg: does not build" >&2; exit 1; }
	[[ -x $bin ]] || continue # no test files
	(cd "$dir" && IPR_REQUIRE_PRIVILEGED= "$bin" -test.v -test.count=1 -test.timeout=10m >"$bin.root" 2>&1) || true
	(cd "$dir" && HOME=$work GOCACHE=$work/cache IPR_REQUIRE_PRIVILEGED= \
		setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --inh-caps=-all \
		"$bin" -test.v -test.count=1 -test.timeout=10m >"$bin.user" 2>&1) || true
	read -r rp rs <<<"$(count "$bin.root")"
	read -r upp uss <<<"$(count "$bin.user")"
	printf '%-40s %8d %8d %8d %8d\n' "${pkg#github.com/ipr-go/ipr/}" "$rp" "$rs" "$upp" "$uss"
	tp=$((tp + rp)) ts=$((ts + rs)) up=$((up + upp)) us=$((us + uss))
done < <(go list -f '{{.ImportPath}} {{.Dir}}' "${pkgs[@]}")
printf '%-40s %8d %8d %8d %8d\n' total "$tp" "$ts" "$up" "$us"
awk -v u="$up" -v r="$tp" 'BEGIN{printf "unprivileged passes %.0f%% of what passes as root\n", 100*u/r}'
