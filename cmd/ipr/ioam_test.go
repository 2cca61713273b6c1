package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestIOAMMatchesIP compares ipr ioam with ip ioam in a throwaway
// namespace: namespaces and schemas added, attached, detached and
// deleted by ipr and shown by both (text, -o, -j, -j -p), every
// command-line mistake and kernel refusal, with ip's messages and exit
// statuses.
func TestIOAMMatchesIP(t *testing.T) {
	nstest.Require(t, "genl:IOAM6")
	ns := nstest.New(t)
	show := func() {
		t.Helper()
		eachSameAsIP(t, ns, anyOrder, "ioam namespace show", "-j ioam namespace show", "-j -p ioam namespace show",
			"-o ioam namespace show extra", "ioam schema show", "-j ioam schema show", "-j -p ioam schema show", "-o ioam schema show")
	}
	show() // empty
	long := strings.Repeat("b", 1020)
	for _, cmd := range []string{
		"ioam namespace add 1 data 0xdeadbeef wide 0x1122",
		"ioam namespace add 2",
		"ioam namespace add 3 wide 5",
		"ioam namespace add 4 data 1 wide 2 ignored words",
		"ioam namespace add 65535 data 0 wide 0",
		"ioam namespace add 0 data +7 wide +0Xabc",
		"ioam schema add 7 abcde",
		"ioam schema add 4294967295 " + long,
		"ioam namespace set 1 schema 7",
		"ioam namespace set 0 schema 4294967295",
	} {
		if out, errs, code := iprIn(ns, "", strings.Fields(cmd)...); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
	show()
	eachSameAsIP(t, ns, nil,
		"ioam", "ioam help", "ioam h", "ioam namespace", "ioam names", "ioam schema", "ioam schema foo", "ioam namespace foo",
		"ioam namespace SHOW", "ioam namespace add", "ioam namespace add x", "ioam namespace add 65536", "ioam namespace add -1",
		"ioam namespace add 9 data", "ioam namespace add 9 data x", "ioam namespace add 9 data 4294967296", "ioam namespace add 9 wide",
		"ioam namespace add 9 wide 0x", "ioam namespace add 9 wide g", "ioam namespace add 9 wide 1 data 2", "ioam namespace add 9 foo", "ioam namespace add 9 wide 5 extra",
		"ioam namespace add 9 data 1 data 2", "ioam namespace add 9 data 1 wide", "ioam namespace add 9 data 1 wide zz",
		"ioam namespace add 1", "ioam namespace del", "ioam namespace del 99", "ioam namespace del x", "ioam namespace set",
		"ioam namespace set 1", "ioam namespace set 1 foo", "ioam namespace set 1 schema", "ioam namespace set 1 schema x",
		"ioam namespace set 1 schema 99", "ioam namespace set 99 schema none", "ioam namespace set 99 schema 7",
		"ioam schema add", "ioam schema add x", "ioam schema add 9", "ioam schema add 7 x", "ioam schema add 9 a"+long,
		"ioam schema del", "ioam schema del 99", "ioam schema del -5",
	)
	for _, cmd := range []string{"ioam namespace set 2 schema 7", "ioam namespace set 1 schema none", "ioam namespace del 3", "ioam schema del 4294967295"} {
		if out, errs, code := iprIn(ns, "", strings.Fields(cmd)...); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr %s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
	show()
}

// anyOrder sorts the records of a listing (and, in pretty JSON, their
// lines): the kernel lists namespaces and schemas in its hash table's
// order, which changes when the table resizes, which it may do between
// ip's dump and ipr's.
func anyOrder(s string) string {
	lines := strings.Split(strings.NewReplacer("},{", "\n", "\\", "\n").Replace(s), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestIOAMWithoutFamily checks ip's failure on a kernel without the
// IOAM6 family: nothing printed, not even -j's opening bracket, since ip
// resolves the family first.
func TestIOAMWithoutFamily(t *testing.T) {
	_, fake := genltest.NoFamilies(t)
	useTransport(t, fake.Dial)
	for _, cmd := range []string{"-j ioam namespace show", "ioam schema show", "ioam namespace add 1"} {
		out, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		if out != "" || errs != "RTNETLINK answers: No such file or directory\nError talking to the kernel\n" || code != 1 {
			t.Errorf("%s: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
}
