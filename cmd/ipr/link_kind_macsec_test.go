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
	// Statuses as ip's: 255 where it exits, 1 where its parse_one_of
	// returns.
	for cmd, want := range map[string]int{
		"link add link p0 name ms0 type macsec cipher aes":                exitUsage,
		"link add link p0 name ms0 type macsec port 0":                    exitUsage,
		"link add link p0 name ms0 type macsec sci xyz":                   exitUsage,
		"link add link p0 name ms0 type macsec address 02:00:00:00:00:01": exitUsage,
		"link add link p0 name ms0 type macsec address zz port 1":         exitUsage,
		"link add link p0 name ms0 type macsec validate lax":              exitFailure,
		"link add link p0 name ms0 type macsec offload nic":               exitFailure,
		"link add link p0 name ms0 type macsec encrypt yes":               exitFailure,
		"link add link p0 name ms0 type macsec icvlen 300":                exitUsage,
		"link add link p0 name ms0 type macsec bogus 1":                   exitUsage,
		"link set dev p0 type can sample-point x":                         exitUsage,
		"link set dev p0 type can tdc-mode maybe":                         exitUsage,
		"link set dev p0 type can fd 1":                                   exitUsage,
		"link set dev p0 type can bitrate":                                exitUsage,
	} {
		_, errs, code := iprIn(nil, "", strings.Fields(cmd)...)
		if code != want || errs == "" {
			t.Errorf("ipr %s: exit %d, stderr %q; want %d and an error", cmd, code, errs, want)
		}
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
