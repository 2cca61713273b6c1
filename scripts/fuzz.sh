#!/usr/bin/env bash
#
# fuzz.sh runs every fuzz target of package ./fuzz (the library's) and of
# ./cmd/ipr (the command's printers, which a package main keeps to itself)
# for a short time each.
#
# Usage: scripts/fuzz.sh [TIME] [TARGET-REGEX]
#
#	TIME          fuzz time per target, as for go test -fuzztime: 10s, 1m,
#	              or an iteration count such as 5000x. Defaults to $FUZZTIME,
#	              else 10s.
#	TARGET-REGEX  extended regular expression selecting targets by name
#	              (default: all). FuzzParse matches 'Parse' and '^FuzzParse$'.
#
# Environment:
#
#	FUZZTIME      default for TIME.
#	FUZZ_BUDGET   upper bound, in seconds, on the total fuzz time across
#	              targets (default 240). When targets × TIME exceeds it, the
#	              time per target is cut to FUZZ_BUDGET / targets (at least
#	              1s), so that the run stays inside CI's time budget however
#	              many targets there are. Iteration counts are not cut.
#
# Each target runs alone (go test allows one -fuzz target per run) with the
# seed corpus in <package>/testdata/fuzz/<Target>/. When a run finds a failing
# input, go test writes it there as a new file and fails; this script then
# fails too, naming the file, so that a crasher is never left behind
# silently: fix the bug, and commit the file as a regression seed.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fuzztime=${1:-${FUZZTIME:-10s}}
filter=${2:-}
budget=${FUZZ_BUDGET:-240}
pkgs=(./fuzz ./cmd/ipr)

# go test -list prints matching names, then an "ok" line; keep the names,
# each as PACKAGE:TARGET. A package that does not build fails here, as it
# should.
targets=()
for pkg in "${pkgs[@]}"; do
	if [[ ! -d $pkg ]] || ! has_go_files "$pkg"; then
		echo "fuzz: no package $pkg; skipped"
		continue
	fi
	list=$(go test -list '^Fuzz' "$pkg")
	while read -r name; do
		targets+=("$pkg:$name")
	done < <(grep -E '^Fuzz[[:alnum:]_]*$' <<<"$list" |
		{ if [[ -n $filter ]]; then grep -E -- "$filter" || true; else cat; fi })
done

if ((${#targets[@]} == 0)); then
	echo "fuzz: no fuzz targets in ${pkgs[*]}${filter:+ matching /$filter/}; nothing to fuzz"
	exit 0
fi

n=${#targets[@]}
if per=$(duration_seconds "$fuzztime"); then
	total=$((n * per))
	echo "fuzz: $n target(s) × $fuzztime = ${total}s of fuzzing (budget ${budget}s)"
	if ((total > budget)); then
		per=$((budget / n))
		((per >= 1)) || per=1
		fuzztime=${per}s
		echo "fuzz: over budget; cutting the time per target to $fuzztime (total $((n * per))s)"
	fi
elif [[ $fuzztime =~ ^[0-9]+x$ ]]; then
	echo "fuzz: $n target(s) × $fuzztime (an iteration count: no time budget applies)"
else
	die "bad fuzz time $fuzztime: want a duration such as 10s or 1m, or a count such as 1000x"
fi

# Files under the corpus directories before fuzzing; anything new afterwards
# is an input that go test recorded as failing.
corpus_files() {
	for pkg in "${pkgs[@]}"; do
		if [[ -d $pkg/testdata/fuzz ]]; then
			find "${pkg#./}/testdata/fuzz" -type f
		fi
	done | LC_ALL=C sort
}
before=$(corpus_files)

log=$(mktemp)
trap 'rm -f "$log"' EXIT

failed=()
for target in "${targets[@]}"; do
	pkg=${target%%:*} name=${target#*:}
	heading "fuzz $name ($fuzztime)"
	# Go minimizes each new interesting input for up to a minute by
	# default; with kernel-sized inputs (a link message is 1.5 KB) that
	# would eat a short run whole, so minimization is capped.
	ok=1
	for attempt in 1 2 3; do
		if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" \
			-fuzzminimizetime "${FUZZMINIMIZETIME:-2s}" 2>&1 | tee "$log"; then
			ok=1
			break
		fi
		ok=0
		# Go's fuzzing coordinator can fail its own run with "context
		# deadline exceeded" when -fuzztime ends while a worker is busy
		# (a new input being minimized); that is no finding, and no input
		# is written. Run such a target again, up to three runs in all (a
		# CI run of 49 targets saw it twice; the retry starts from the
		# corpus the first run grew, so it meets fewer new inputs); a real
		# failure writes its input and fails at once.
		if grep -q 'Failing input written' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
			break
		fi
		if ((attempt < 3)); then
			echo "fuzz: $name: the fuzzer stopped on its own deadline with no finding; once more"
		fi
	done
	if ((!ok)); then
		failed+=("$name")
		# go test prints paths relative to the package directory.
		sed -n "s|.*Failing input written to \\(testdata/fuzz/[^ ]*\\).*|fuzz: failing input: ${pkg#./}/\\1|p" "$log"
	fi
done

new=$(comm -13 <(echo "$before") <(corpus_files) | grep -v '^$' || true)
if [[ -n $new ]]; then
	echo
	echo "fuzz: new files under the corpora (failing inputs; reproduce with go test PACKAGE -run 'Target/File'):"
	indent <<<"$new"
fi

if ((${#failed[@]} > 0)); then
	echo
	echo "fuzz: FAILED: ${failed[*]}"
	exit 1
fi
if [[ -n $new ]]; then
	echo "fuzz: FAILED: go test passed but left new corpus files"
	exit 1
fi
echo
echo "fuzz: all $n target(s) passed"
