package wire

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"golang.org/x/sys/unix"
)

// The kernel captures are little-endian; on a big-endian machine the
// tests reading them are skipped, and the spec-built tests in
// wire_test.go cover the decoding.

func TestKernelDumpStreams(t *testing.T) {
	for _, name := range []string{"link-dump", "addr-dump", "route4-dump", "route6-dump", "rule-dump", "neigh-dump"} {
		var n int
		var last Message
		for m, err := range Messages(golden.KernelCapture(t, "..", name)) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if m.Header.Type != unix.NLMSG_DONE && m.Header.Flags&unix.NLM_F_MULTI == 0 {
				t.Fatalf("%s: dump message without NLM_F_MULTI", name)
			}
			last = m
			n++
		}
		if n < 2 || last.Header.Type != unix.NLMSG_DONE {
			t.Fatalf("%s: %d messages, last type %d", name, n, last.Header.Type)
		}
		if ack, err := DecodeAck(last); err != nil || ack.Err(nil) != nil {
			t.Fatalf("%s: DONE decodes to %+v, %v", name, ack, err)
		}
	}
}

func TestKernelErrors(t *testing.T) {
	fixed := func(uint16) int { return unix.SizeofIfInfomsg }
	one := func(name string) Ack {
		m, _, ok, err := Next(golden.KernelCapture(t, "..", name))
		if err != nil || !ok {
			t.Fatalf("%s: %v", name, err)
		}
		ack, err := DecodeAck(m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return ack
	}

	if ack := one("ack-ok"); ack.Errno != 0 || ack.Err(fixed) != nil || ack.Request.Type != unix.RTM_SETLINK {
		t.Fatalf("ack-ok: %+v", ack)
	}
	if err := one("error-eexist").Err(fixed); !errors.Is(err, unix.EEXIST) {
		t.Fatalf("error-eexist: %v", err)
	}

	// The kernel rejected a 22-byte IFLA_IFNAME against its policy.
	var e *Error
	ack := one("error-policy")
	if err := ack.Err(fixed); !errors.As(err, &e) || !errors.Is(err, unix.ERANGE) {
		t.Fatalf("error-policy: %v", err)
	}
	if e.Message != "Attribute failed policy validation" || e.Offset != HeaderLen+unix.SizeofIfInfomsg ||
		len(e.Attr) != 1 || e.Attr[0] != unix.IFLA_IFNAME || e.Policy == nil ||
		e.Policy.Type != unix.NL_ATTR_TYPE_NUL_STRING && e.Policy.Type != unix.NL_ATTR_TYPE_STRING || e.Policy.MaxLength != unix.IFNAMSIZ-1 {
		t.Fatalf("error-policy: %+v, policy %+v", e, e.Policy)
	}
	if len(ack.Echo) == 0 || e.Request.Type != unix.RTM_NEWLINK {
		t.Fatal("error-policy: the request was not echoed")
	}

	// A dump with a filter strict checking forbids fails in NLMSG_ERROR.
	err := one("error-dump-strict").Err(fixed)
	if !errors.Is(err, unix.EINVAL) || !strings.Contains(err.Error(), "link dump") {
		t.Fatalf("error-dump-strict: %v", err)
	}
}
