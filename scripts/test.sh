#!/usr/bin/env bash
#
# test.sh is the project's test command: everything CI checks, in order,
# stopping at the first failing step.
#
# Usage: scripts/test.sh [STEP...]
#
# With no arguments every step runs; otherwise only the named ones, in the
# order given. Steps:
#
#	gofmt      gofmt -l over all tracked and untracked .go files
#	vet        go vet ./... (and in bench/ and tools/gen/, modules of their own)
#	init       scripts/binsize.sh: no package of the module works at init;
#	           the links-listing program stays within its size limit
#	test       go test -race -count=1 ./...; go test in tools/gen/
#	fuzz       scripts/fuzz.sh: every fuzz target for $FUZZTIME (default 10s)
#	cross      CGO_ENABLED=0 build and vet for every architecture in $ARCHES
#	bigendian  the kernel-free tests on s390x under qemu-user
#
# Environment:
#
#	FUZZTIME, FUZZ_BUDGET   see scripts/fuzz.sh
#	TEST_TIMEOUT            go test -timeout for the test step (default 8m)
#	CI                      when true, a step that cannot run fails instead
#	                        of being skipped with a warning
#
#	IPR_TEST_ASSUME_MISSING  kernel features the tests treat as missing,
#	                        comma separated, or "all" (see the README)
#
# As root, IPR_REQUIRE_PRIVILEGED=1 is exported, so that tests which need
# the kernel fail rather than skip. A kernel feature the kernel lacks is a
# skip even so, of the part of a test that needs it; the summary ends with
# the features that were missing and how many subtests each skipped.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# ARCHES are the GOARCH values that must build with CGO_ENABLED=0 on linux:
# both word sizes, both byte orders, and the alignment-strict ones.
ARCHES=${ARCHES:-"amd64 386 arm arm64 mips mips64 ppc64le s390x riscv64"}

# BIGENDIAN_PKGS are the packages whose tests, or some of them, need no
# kernel and so can run under user-mode emulation on big-endian s390x.
# Missing ones are skipped.
BIGENDIAN_PKGS=${BIGENDIAN_PKGS:-"./nla/ ./wire/ ./ipnet/ ./rtm/ ./genl/wireguard/ ./genl/devlink/ ./xfrm/"}

# BIGENDIAN_RUN gives, for a package of BIGENDIAN_PKGS whose other tests
# need root and a network namespace (which emulation cannot give), the
# go test -run pattern of its kernel-free tests: rtm's encoders checked
# against its views; WireGuard's and devlink's fake-kernel tests (the
# sockaddrs and keys WireGuard encodes; devlink's iproute2 fixtures were
# recorded little-endian and are left out).
declare -A BIGENDIAN_RUN=(
	[./rtm/]='^TestRoundTrip|^TestFixedLen'
	[./genl/wireguard/]='^TestFake|^TestKey|^TestCollect|^TestViews|^Example'
	[./genl/devlink/]='^TestFake|^TestBadInput|^Example'
	[./xfrm/]='^TestRoundTrip|^TestFixedLen|^FuzzViews'
)

TEST_TIMEOUT=${TEST_TIMEOUT:-8m}

step_gofmt() {
	local files=() unformatted
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# Tracked and untracked (but not ignored) files; a tracked file
		# deleted in the work tree is left out.
		local f
		while IFS= read -r -d '' f; do
			if [[ -f $f ]]; then
				files+=("$f")
			fi
		done < <(git ls-files -z --cached --others --exclude-standard -- '*.go' ':(exclude,glob)**/testdata/**')
	else
		mapfile -d '' -t files < <(find . -name '*.go' -not -path '*/testdata/*' -print0)
	fi
	echo "checking ${#files[@]} files"
	((${#files[@]} > 0)) || return 0
	# gofmt -l exits 0 when it lists files, non-zero on a syntax error.
	unformatted=$(gofmt -l "${files[@]}")
	if [[ -n $unformatted ]]; then
		echo "these files need gofmt -w:"
		indent <<<"$unformatted"
		return 1
	fi
}

# go vet includes the stdversion check, which reports uses of standard
# library API newer than the go line of go.mod (1.23), even though the
# toolchain here is newer.
step_vet() {
	go vet ./...
	if [[ -f bench/go.mod ]]; then
		echo "bench/ (its own module):"
		(cd bench && go vet ./...)
	fi
	echo "tools/gen/ (its own module):"
	(cd tools/gen && go vet ./...)
}

# step_init fails when a package of the module does work at package init
# (allocations in GODEBUG=inittrace, or a compiled init that is more than a
# return) or when the static links-listing program outgrows LINKS_MAX.
step_init() {
	bash "$REPO_ROOT/scripts/binsize.sh"
}

step_test() {
	if is_root; then
		export IPR_REQUIRE_PRIVILEGED=1
		echo "running as root: IPR_REQUIRE_PRIVILEGED=1 (kernel tests must not skip)"
		# The oracle of genl/ethtool's kernel tests (CI machines are fresh).
		ensure_tool ethtool || warn "ethtool is missing and could not be installed: genl/ethtool's kernel tests will fail"
	else
		echo "not root: tests that need the kernel will skip"
	fi
	# Each skip for a missing kernel feature appends "FEATURE<tab>TEST" to
	# this file (internal/nstest), for the summary.
	skiplog=${skiplog:-$(mktemp)}
	local rc=0
	IPR_TEST_SKIPLOG=$skiplog go test -race -count=1 -timeout "$TEST_TIMEOUT" ./... || rc=$?
	if ((rc == 0)); then
		(cd tools/gen && go test -count=1 ./...) || rc=$? # the generator, a module of its own
	fi
	if [[ -s $skiplog ]]; then
		echo "skipped for want of kernel features:"
		sort "$skiplog" | indent
	fi
	return "$rc"
}

# missing_features prints the summary's line of kernel features that were
# missing in the test step, with the number of subtests each skipped.
missing_features() {
	if [[ -z $skiplog ]]; then
		return
	fi
	local line
	line=$(cut -f1 "$skiplog" | sort | uniq -c | awk '
		{ s = s sep $2 " (" $1 (($1 == 1) ? " subtest" : " subtests") " skipped)"; sep = ", " }
		END { print (s == "") ? "none" : s }')
	echo "kernel features missing: $line"
	rm -f "$skiplog"
}

step_fuzz() {
	bash "$REPO_ROOT/scripts/fuzz.sh"
}

# go build ./... compiles every non-test package fully and links the
# commands, which catches everything the compiler and linker reject for an
# architecture. go vet ./... then type-checks the test files too (including
# files with _$GOARCH suffixes or build tags) reusing the build's export
# data, and runs vet's checks per architecture (asmdecl, unsafeptr, ...).
# Both are far cheaper than go test -c, which would link a test binary per
# package per architecture.
step_cross() {
	local a
	for a in $ARCHES; do
		echo "linux/$a"
		GOOS=linux GOARCH=$a CGO_ENABLED=0 go build ./...
		GOOS=linux GOARCH=$a CGO_ENABLED=0 go vet ./...
	done
}

step_bigendian() {
	local pkgs=() p qemu
	for p in $BIGENDIAN_PKGS; do
		if [[ -d $p ]] && has_go_files "$p"; then
			pkgs+=("$p")
		else
			echo "skipping $p: no Go package there (yet)"
		fi
	done
	if ((${#pkgs[@]} == 0)); then
		echo "no big-endian packages to test"
		return 0
	fi
	if ! qemu=$(ensure_qemu s390x); then
		if is_ci; then
			echo "qemu-s390x-static is missing and could not be installed;" \
				"CI must run the big-endian tests (apt-get install qemu-user-static)" >&2
			return 1
		fi
		warn "qemu-s390x-static is missing and could not be installed" \
			"(apt-get install qemu-user-static); SKIPPING the big-endian tests"
		step_note="SKIPPED: no qemu-s390x"
		return 0
	fi
	# -exec runs each test binary under the emulator directly, so this works
	# without binfmt_misc, which containers often cannot mount. Tests run in
	# the package directory as usual, so testdata/ is found.
	echo "emulator: $qemu"
	local whole=() selective=()
	for p in "${pkgs[@]}"; do
		if [[ -v BIGENDIAN_RUN[$p] ]]; then
			selective+=("$p")
		else
			whole+=("$p")
		fi
	done
	if ((${#whole[@]} > 0)); then
		GOOS=linux GOARCH=s390x CGO_ENABLED=0 go test -count=1 -exec "$qemu" "${whole[@]}"
	fi
	for p in "${selective[@]}"; do
		echo "$p: the tests matching ${BIGENDIAN_RUN[$p]}"
		GOOS=linux GOARCH=s390x CGO_ENABLED=0 go test -count=1 -exec "$qemu" -run "${BIGENDIAN_RUN[$p]}" "$p"
	done
}

ALL_STEPS=(gofmt vet init test fuzz cross bigendian)
if (($# > 0)); then
	steps=("$@")
else
	steps=("${ALL_STEPS[@]}")
fi
for s in "${steps[@]}"; do
	[[ " ${ALL_STEPS[*]} " == *" $s "* ]] || die "unknown step $s (steps: ${ALL_STEPS[*]})"
done

# Step results for the summary, which the EXIT trap prints whatever happens.
# A step may set step_note to qualify its success, such as a skip.
results=()
current=
started=
step_note=
skiplog=

summary() {
	local rc=$?
	if [[ -n $current ]]; then
		results+=("$(printf '%-10s %8ss  FAILED' "$current" "$(elapsed "$started")")")
	fi
	heading "summary"
	local r
	for r in "${results[@]}"; do
		echo "    $r"
	done
	echo "    total      ${SECONDS}s"
	if [[ -n $current ]]; then
		echo "FAILED at step $current (exit $rc)"
	elif ((rc == 0)); then
		echo "all steps passed"
	fi
	missing_features
	# A plain count last, the line CI readers look for.
	local passed=0 skipped=0 failed=0
	for r in "${results[@]}"; do
		case $r in
		*FAILED*) failed=$((failed + 1)) ;;
		*SKIPPED*) skipped=$((skipped + 1)) ;;
		*) passed=$((passed + 1)) ;;
		esac
	done
	if ((skipped > 0)); then
		echo "steps: $passed passed, $failed failed, $skipped skipped"
	else
		echo "steps: $passed passed, $failed failed"
	fi
	exit "$rc"
}
trap summary EXIT

heading "$(go version), $(nproc) cores, CI=${CI:-}"
for s in "${steps[@]}"; do
	current=$s
	started=$(now)
	step_note=
	heading "step $s"
	"step_$s"
	results+=("$(printf '%-10s %8ss  ok %s' "$s" "$(elapsed "$started")" "$step_note")")
	current=
done
