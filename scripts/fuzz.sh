#!/usr/bin/env bash
#
# fuzz.sh runs every fuzz target of package ./fuzz for a short time each.
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
# seed corpus in fuzz/testdata/fuzz/<Target>/. When a run finds a failing
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
pkg=./fuzz
corpus=fuzz/testdata/fuzz

if [[ ! -d $pkg ]] || ! has_go_files "$pkg"; then
	echo "fuzz: no package $pkg; nothing to fuzz"
	exit 0
fi

# go test -list prints matching names, then an "ok" line; keep the names.
# A package that does not build fails here, as it should.
list=$(go test -list '^Fuzz' "$pkg")
mapfile -t targets < <(grep -E '^Fuzz[[:alnum:]_]*$' <<<"$list" |
	{ if [[ -n $filter ]]; then grep -E -- "$filter" || true; else cat; fi })

if ((${#targets[@]} == 0)); then
	echo "fuzz: no fuzz targets in $pkg${filter:+ matching /$filter/}; nothing to fuzz"
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

# Files under the corpus directory before fuzzing; anything new afterwards is
# an input that go test recorded as failing.
corpus_files() {
	if [[ -d $corpus ]]; then
		find "$corpus" -type f | LC_ALL=C sort
	fi
}
before=$(corpus_files)

log=$(mktemp)
trap 'rm -f "$log"' EXIT

failed=()
for name in "${targets[@]}"; do
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
		sed -n 's|.*Failing input written to \(testdata/fuzz/[^ ]*\).*|fuzz: failing input: fuzz/\1|p' "$log"
	fi
done

new=$(comm -13 <(echo "$before") <(corpus_files) | grep -v '^$' || true)
if [[ -n $new ]]; then
	echo
	echo "fuzz: new files under $corpus (failing inputs; reproduce with go test $pkg -run 'Target/File'):"
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
