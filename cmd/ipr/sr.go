package main

// "ipr sr": IPv6 segment routing's tunnel source and HMAC keys (the SEG6
// generic-netlink family), as iproute2 6.1's ipseg6.c reads its command
// line and prints them.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/ipr-go/ipr/genl/seg6"
	"golang.org/x/sys/unix"
)

// srUsage is ipseg6.c's usage text, whose lines are indented to follow
// "Usage: ".
const srUsage = "Usage: ipr sr { COMMAND | help }\n" +
	"          ipr sr hmac show\n" +
	"          ipr sr hmac set KEYID ALGO\n" +
	"          ipr sr tunsrc show\n" +
	"          ipr sr tunsrc set ADDRESS\n" +
	"where  ALGO := { sha1 | sha256 }\n"

// hmacKeyPrompt is ipseg6.c's HMAC_KEY_PROMPT.
const hmacKeyPrompt = "Enter secret for HMAC key ID (blank to delete): "

// srCommands are do_seg6's objects and their commands, each word
// accepted by any prefix; a command's run reads the words after it.
var srCommands = [...]struct {
	object, command string
	run             func(e *env, argv []string) error
}{
	{"hmac", "show", func(e *env, _ []string) error { return srHMACShow(e) }},
	{"hmac", "set", srHMACSet},
	{"tunsrc", "show", func(e *env, _ []string) error { return srTunsrcShow(e) }},
	{"tunsrc", "set", srTunsrcSet},
}

// runSR is ipseg6.c's do_seg6: the words are read in full before the
// family is resolved, and words after a command's last are ignored, as
// ip ignores them.
func runSR(e *env, argv []string) error {
	if len(argv) == 0 || matches(argv[0], "help") {
		return usageText(srUsage)
	}
	if !matches(argv[0], "hmac") && !matches(argv[0], "tunsrc") {
		return invarg("unknown", argv[0])
	}
	if len(argv) < 2 {
		return errIncomplete
	}
	for _, c := range srCommands {
		if matches(argv[0], c.object) && matches(argv[1], c.command) {
			return c.run(e, argv[2:])
		}
	}
	return invarg("unknown", argv[1])
}

// srTunsrcShow is SEG6_CMD_GET_TUNSRC and print_tunsrc: a refusal exits
// with ip's status 2.
func srTunsrcShow(e *env) error {
	h, err := e.genlHandle()
	var a netip.Addr
	if err == nil {
		a, err = seg6.TunnelSource(e.ctx, h)
	}
	if err != nil {
		return genlFamilyError(err)
	}
	p := e.newPrinter()
	p.openArray("")
	p.openObject("")
	p.str("tunsrc", "tunsrc addr %s\n", ipString(a.AsSlice()))
	p.closeObject()
	return e.endList(p)
}

// srTunsrcSet is SEG6_CMD_SET_TUNSRC of the address iproute2's get_addr
// reads for AF_INET6: an IPv6 address, or "default", "any" or "all" for
// the unspecified one.
func srTunsrcSet(e *env, argv []string) error {
	if len(argv) == 0 {
		return errIncomplete
	}
	word := argv[0]
	a, err := netip.ParseAddr(word)
	switch {
	case word == "default" || word == "any" || word == "all":
		a, err = netip.IPv6Unspecified(), nil
	case err != nil || !strings.Contains(word, ":") || a.Zone() != "":
		return wrongFamily("address", word, unix.AF_INET6)
	}
	req, err := seg6.SetTunnelSource(a)
	if err != nil {
		return err
	}
	return genlDo(e, seg6.FamilyName, req)
}

// srHMACSet is "hmac set KEYID ALGO": the secret is read as glibc's
// getpass reads it, after the words and before the family is resolved.
func srHMACSet(e *env, argv []string) error {
	if len(argv) == 0 {
		return errIncomplete
	}
	id, ok := getUint(argv[0], 32)
	if !ok || id == 0 {
		return invarg("hmac KEYID value is invalid", argv[0])
	}
	if len(argv) == 1 {
		return errIncomplete
	}
	var alg seg6.Algorithm
	switch argv[1] {
	case "sha1":
		alg = seg6.SHA1
	case "sha256":
		alg = seg6.SHA256
	default:
		return invarg("hmac ALGO value is invalid", argv[1])
	}
	secret, err := getpass(e, hmacKeyPrompt)
	if err != nil {
		return err
	}
	// ip sends the secret as a C string: up to its first NUL.
	if i := bytes.IndexByte(secret, 0); i >= 0 {
		secret = secret[:i]
	}
	req, err := seg6.SetHMAC(uint32(id), alg, secret)
	if errors.Is(err, seg6.ErrInvalid) {
		// A secret longer than the kernel keeps: ip sends it, and a
		// kernel with HMAC support refuses it so. (Past 255 bytes ip's
		// length byte wraps, and the kernel may take a prefix of it;
		// ipr refuses those too.)
		return &cliError{code: exitFailure, msg: kernelMessage("", unix.EINVAL)}
	}
	if err != nil {
		return err
	}
	return genlDo(e, seg6.FamilyName, req)
}

// srHMACShow is the SEG6_CMD_DUMPHMAC dump and print_dumphmac. A refused
// dump (a kernel without HMAC support) ends with "Dump terminated" and
// status 1, ip's JSON array left open.
func srHMACShow(e *env) error {
	return genlShow(e, seg6.HMACKeys, func(p *printer, k seg6.HMACKey) {
		secret := k.Secret()
		if len(secret) > 63 {
			fmt.Fprintf(e.Stderr, "HMAC secret length %d > 63, truncated\n", len(secret))
			secret = secret[:63]
		}
		// ip prints the secret as a C string.
		if i := bytes.IndexByte(secret, 0); i >= 0 {
			secret = secret[:i]
		}
		p.openObject("")
		p.uint("hmac", "hmac %d ", uint64(k.ID()))
		p.str("algo", "algo %s ", k.Algorithm().String())
		p.strBytes("secret", "secret \"%s\"\n", secret)
		p.closeObject()
	})
}

// ttyPath is the terminal getpass reads a secret from when it can open
// it (tests that give ipr its standard input point it elsewhere).
var ttyPath = "/dev/tty"

// getpass is glibc's getpass(3), as ip calls it: the prompt and the line
// on the controlling terminal, or else on standard error and standard
// input; echo turned off while the line is read from a terminal (and the
// newline it did not echo written after it). The line's newline is
// dropped; an end of input before any byte is an empty secret.
func getpass(e *env, prompt string) ([]byte, error) {
	in, out := e.Stdin, e.Stderr
	if tty, err := os.OpenFile(ttyPath, os.O_RDWR, 0); err == nil {
		defer tty.Close()
		in, out = tty, tty
	}
	echoOff := false
	if f, ok := in.(*os.File); ok {
		fd := int(f.Fd())
		if t, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
			saved := *t
			t.Lflag &^= unix.ECHO | unix.ISIG
			if unix.IoctlSetTermios(fd, unix.TCSETSF, t) == nil {
				echoOff = true
				defer unix.IoctlSetTermios(fd, unix.TCSETSF, &saved)
			}
		}
	}
	if _, err := io.WriteString(out, prompt); err != nil {
		return nil, err
	}
	// One byte at a time: what follows the line is not ip's to read.
	var line []byte
	var b [1]byte
	for {
		n, err := in.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				if echoOff {
					io.WriteString(out, "\n")
				}
				return line, nil
			}
			line = append(line, b[0])
		}
		if err == io.EOF {
			return line, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
