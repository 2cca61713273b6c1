package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestMACsecCANMatchIproute2Requests runs ip's macsec and can commands of
// rtm's golden captures through ipr and compares the requests byte for
// byte (this kernel has neither kind).
func TestMACsecCANMatchIproute2Requests(t *testing.T) {
	for _, file := range []string{"macsec.txt", "can.txt"} {
		if n := matchGoldenRequests(t, file, nil); n < 6 {
			t.Fatalf("%s: only %d captures compared", file, n)
		}
	}
}

// TestMACsecCANBadArguments expects ip's exit code 255 and an error, with
// nothing sent, for each invalid argument.
func TestMACsecCANBadArguments(t *testing.T) {
	fake := nltest.NewRTNL()
	fake.AddLink(nltest.Link{Index: 3, Name: "p0", MTU: 1500})
	sent := 0
	fake.Handle(unix.RTM_NEWLINK, func(m wire.Message) ([][]byte, error) { sent++; return nil, nil })
	useTransport(t, fake.Dial)
	for _, cmd := range []string{
		"link add link p0 name ms0 type macsec cipher aes",
		"link add link p0 name ms0 type macsec port 0",
		"link add link p0 name ms0 type macsec sci xyz",
		"link add link p0 name ms0 type macsec address 02:00:00:00:00:01",
		"link add link p0 name ms0 type macsec address zz port 1",
		"link add link p0 name ms0 type macsec validate lax",
		"link add link p0 name ms0 type macsec offload nic",
		"link add link p0 name ms0 type macsec icvlen 300",
		"link add link p0 name ms0 type macsec bogus 1",
		"link set dev p0 type can sample-point x",
		"link set dev p0 type can tdc-mode maybe",
		"link set dev p0 type can fd 1",
		"link set dev p0 type can bitrate",
	} {
		_, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		if code != exitUsage || errs == "" {
			t.Errorf("ipr %s: exit %d, stderr %q; want 255 and an error", cmd, code, errs)
		}
	}
	// ip's parse_one_of fails with status 1.
	if _, errs, code := iprIn(nil, "", strings.Fields("link add link p0 name ms0 type macsec encrypt yes")...); code != exitFailure ||
		errs != "Error: argument of \"encrypt\" must be one of \"off\", \"on\", not \"yes\"\n" {
		t.Errorf("ipr link add ... type macsec encrypt yes: exit %d, stderr %q; want ip's", code, errs)
	}
	// Refused by rtm's validation, before sending.
	for _, cmd := range []string{
		"link add link p0 name ms0 type macsec icvlen 20",
		"link add link p0 name ms0 type macsec replay on",
		"link add link p0 name ms0 type macsec send_sci on end_station on",
		"link add link p0 name ms0 type macsec encodingsa 4",
	} {
		if _, errs, code := iprIn(nil, "", strings.Fields(cmd)...); code == 0 || errs == "" {
			t.Errorf("ipr %s: exit %d, stderr %q; want an error", cmd, code, errs)
		}
	}
	if sent != 0 {
		t.Errorf("%d requests sent for invalid commands", sent)
	}
}
