package main

import (
	"os"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/seg6fake"
)

// noTerminal skips t when this process has a controlling terminal: ip's
// getpass would read the secret there, where the test cannot type it.
func noTerminal(t *testing.T) {
	t.Helper()
	if f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		f.Close()
		t.Skip("a controlling terminal: ip would read the HMAC secret from it")
	}
}

// TestSRMatchesIP compares ipr sr with ip sr in a throwaway namespace:
// the tunnel source set by one and shown by both, text and JSON; the
// HMAC keys (set, shown, deleted where the kernel has HMAC support, and
// the kernel's refusal where it has not); every command-line mistake,
// with ip's messages and exit statuses.
func TestSRMatchesIP(t *testing.T) {
	nstest.Require(t, "genl:SEG6")
	ns := nstest.New(t)
	show := func() {
		t.Helper()
		eachSameAsIP(t, ns, nil, "sr tunsrc show", "sr tu s", "-j sr tunsrc show", "-j -p sr tunsrc show", "-o sr tunsrc show extra")
	}
	show()
	for _, a := range []string{"fd00:5e6::1", "::ffff:192.0.2.1", "::192.0.2.1", "1::", "any", "2001:db8::2"} {
		if out, errs, code := iprIn(ns, "", "sr", "tunsrc", "set", a); code != 0 || out != "" || errs != "" {
			t.Fatalf("ipr sr tunsrc set %s: exit %d, %q, %q", a, code, out, errs)
		}
		show()
	}
	eachSameAsIP(t, ns, nil,
		"sr", "sr help", "sr h", "sr foo", "sr hmac", "sr hmac foo", "sr tunsrc", "sr tunsrc foo", "sr tunsrc set",
		"sr tunsrc set 192.0.2.1", "sr tunsrc set fe80::1%lo", "sr tunsrc set ::1/128", "sr tunsrc set zz",
		"sr hmac set", "sr hmac set 0 sha1", "sr hmac set -1 sha1", "sr hmac set 4294967296 sha1", "sr hmac set 1",
		"sr hmac set 1 md5", "sr hmac set 1 SHA1", "sr hmac set x sha256",
	)
	hmac := nstest.Have(t, "seg6:hmac")
	eachSameAsIP(t, ns, nil, "sr hmac show", "sr hm s", "-j sr hmac show", "-j -p sr hmac show")
	noTerminal(t)
	for _, c := range []struct{ stdin, cmd string }{
		{"s3cret\n", "sr hmac set 7 sha256"},
		{"with \"quotes\" and \\\n", "sr hmac set +0x10 sha1 extra"},
		{strings.Repeat("x", 64) + "\nnot read", "sr hmac set 9 sha1"},
		{"", "sr hmac set 11 sha1"},
	} {
		if !hmac {
			sameAsIPIn(t, ns, c.stdin, nil, strings.Fields(c.cmd)...)
			continue
		}
		if _, errs, code := iprIn(ns, c.stdin, strings.Fields(c.cmd)...); code != 0 && !strings.Contains(c.cmd, " 11 ") {
			t.Fatalf("ipr %s: exit %d, %q", c.cmd, code, errs)
		}
		eachSameAsIP(t, ns, nil, "sr hmac show", "-j sr hmac show")
	}
	if hmac {
		// A blank secret deletes the key; deleting it again fails as
		// ip's does.
		if _, errs, code := iprIn(ns, "\n", "sr", "hmac", "set", "7", "sha1"); code != 0 {
			t.Fatalf("ipr sr hmac set 7 sha1 with a blank secret: exit %d, %q", code, errs)
		}
		eachSameAsIP(t, ns, nil, "sr hmac show", "sr hmac set 7 sha1")
	}
}

// TestFakeSRHMAC shows, sets and deletes HMAC keys on a fake kernel with
// HMAC support, which this kernel may lack: the output is ipseg6.c's
// print_dumphmac, text and JSON, with its warning for a 64-byte secret;
// the refusals are ip's messages and statuses.
func TestFakeSRHMAC(t *testing.T) {
	k, fake := seg6fake.New()
	useTransport(t, fake.Dial)
	ttyPath = "/nonexistent"
	t.Cleanup(func() { ttyPath = "/dev/tty" })
	prompt := hmacKeyPrompt
	for _, c := range []struct {
		stdin, cmd       string
		out, errs        string
		code             int
		keysAfterCommand int
	}{
		{"", "sr hmac show", "", "", 0, 0},
		{"", "-j sr hmac show", "[]\n", "", 0, 0},
		{"s3cret\n", "sr hmac set 7 sha256", "", prompt, 0, 1},
		{"a\"b\\c\td\x00ignored\n", "sr hmac set 3 sha1", "", prompt, 0, 2},
		{strings.Repeat("x", 64), "sr hmac set 9 sha1", "", prompt, 0, 3},
		{strings.Repeat("x", 65), "sr hmac set 10 sha1", "", prompt + "RTNETLINK answers: Invalid argument\n", 1, 3},
		{"", "sr hmac show",
			"hmac 3 algo sha1 secret \"a\"b\\c\td\"\n" +
				"hmac 7 algo sha256 secret \"s3cret\"\n" +
				"hmac 9 algo sha1 secret \"" + strings.Repeat("x", 63) + "\"\n",
			"HMAC secret length 64 > 63, truncated\n", 0, 3},
		{"", "-j sr hmac show",
			`[{"hmac":3,"algo":"sha1","secret":"a\"b\\c\td"},{"hmac":7,"algo":"sha256","secret":"s3cret"},` +
				`{"hmac":9,"algo":"sha1","secret":"` + strings.Repeat("x", 63) + "\"}]\n",
			"HMAC secret length 64 > 63, truncated\n", 0, 3},
		{"\n", "sr hmac set 7 sha1", "", prompt, 0, 2},
		{"", "sr hmac set 7 sha1", "", prompt + "RTNETLINK answers: No such file or directory\n", 1, 2},
	} {
		out, errs, code := iprIn(nil, c.stdin, strings.Fields(c.cmd)...)
		if out != c.out || errs != c.errs || code != c.code || len(k.Keys()) != c.keysAfterCommand {
			t.Errorf("%s:\ngot  exit %d, %q, %q, %d keys\nwant exit %d, %q, %q, %d keys",
				c.cmd, code, out, errs, len(k.Keys()), c.code, c.out, c.errs, c.keysAfterCommand)
		}
	}
	k.DropHMAC()
	out, errs, code := iprIn(nil, "", "-j", "sr", "hmac", "show")
	if out != "[" || errs != "RTNETLINK answers: Unknown error 524\nDump terminated\n" || code != 1 {
		t.Errorf("sr hmac show without HMAC support: exit %d, %q, %q", code, out, errs)
	}
}

// TestReplaySRShow compares the tunnel source ipr prints with ip's, over
// a recorded conversation, without root.
func TestReplaySRShow(t *testing.T) {
	replayExact(t, "sr", func(t testing.TB) *nstest.NS {
		nstest.Require(t, "genl:SEG6")
		ns := nstest.New(t)
		ipCommands(t, ns, "sr tunsrc set fd00:5e6::7")
		return ns
	}, unmasked, []string{
		"sr tunsrc show",
		"-j sr tunsrc show",
	})
}
