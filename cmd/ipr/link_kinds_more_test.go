package main

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestKindsMatchIproute2Requests runs each command of rtm's golden
// captures of these kinds (iproute2 6.1's requests, recorded with strace,
// for kinds this kernel lacks) through ipr, against a fake kernel holding
// the capture's links, and compares the request ipr sends with ip's, byte
// for byte.
func TestKindsMatchIproute2Requests(t *testing.T) {
	skip := map[string]bool{ // kinds ipr's command line does not parse yet
		"add-erspan": true, "add-erspan-v2": true, "add-ip6erspan": true,
	}
	if n := matchGoldenRequests(t, "kinds.txt", skip); n < 15 {
		t.Fatalf("only %d captures compared", n)
	}
}

// matchGoldenRequests runs each command of the rtm golden capture file
// (but those in skip) through ipr against a fake kernel holding the
// capture's links and compares ipr's request with ip's; it returns the
// number of cases compared.
func matchGoldenRequests(t *testing.T, file string, skip map[string]bool) int {
	t.Helper()
	return matchCapturedRequests(t, "../../rtm/testdata/golden/"+file, "", unix.RTM_NEWLINK, skip)
}

// matchCapturedRequests is matchGoldenRequests for any capture file in
// golden.sh's format: each command (but those in skip), after prog ("" for
// ip, "bridge" for bridge), runs through ipr against a fake kernel
// holding the capture's links, and ipr's request of type typ is compared
// with the captured one. The captures are little-endian: on a big-endian
// host it skips t.
func matchCapturedRequests(t *testing.T, path, prog string, typ uint16, skip map[string]bool) int {
	t.Helper()
	if binaryNativeIsBig() {
		t.Skip("the golden captures are little-endian")
	}
	cases := golden.Read(t, path)
	n := 0
	for _, c := range cases {
		if skip[c.Name] {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			fake := nltest.NewRTNL()
			for name, idx := range c.Links {
				if name != "lo" {
					fake.AddLink(nltest.Link{Index: idx, Name: name, MTU: 1500})
				}
			}
			var got []byte
			fake.Handle(typ, func(m wire.Message) ([][]byte, error) {
				got = nltest.Message(typ, m.Data)
				binary.NativeEndian.PutUint16(got[6:], m.Header.Flags)
				return nil, nil
			})
			useTransport(t, fake.Dial)
			args := strings.Fields(c.Cmd)
			if prog != "" {
				args = append([]string{prog}, args...)
			}
			out, errs, code := iprIn(nil, "", args...)
			if code != 0 {
				t.Fatalf("ipr %s: exit %d: %s%s", c.Cmd, code, out, errs)
			}
			want := bytes.Clone(c.Req)
			// nlmsg_seq and nlmsg_pid are zero in the capture.
			if len(got) >= 16 {
				clear(got[8:16])
			}
			if !bytes.Equal(got, want) {
				t.Errorf("ipr %s\nipr: %x\nip:  %x", c.Cmd, got, want)
			}
		})
		n++
	}
	return n
}
