package seg6_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/seg6"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/seg6fake"
	"golang.org/x/sys/unix"
)

// ipTunsrc is `ip -j sr tunsrc show`'s answer.
func ipTunsrc(t *testing.T, ns *nstest.NS) string {
	t.Helper()
	var v []struct {
		Tunsrc string `json:"tunsrc"`
	}
	nstest.IPJSON(t, ns, &v, "sr", "tunsrc", "show")
	if len(v) != 1 {
		t.Fatalf("ip sr tunsrc show: %+v", v)
	}
	return v[0].Tunsrc
}

// TestTunnelSource sets the tunnel source in a throwaway namespace, with
// the package and with ip, and compares what each reads with the other.
func TestTunnelSource(t *testing.T) {
	h, ns := genltest.DialNS(t, "genl:SEG6")
	ctx := context.Background()
	check := func(want string) {
		t.Helper()
		got, err := seg6.TunnelSource(ctx, h)
		if err != nil || got.String() != want || ipTunsrc(t, ns) != want {
			t.Errorf("TunnelSource = %v, %v; ip says %s; want %s", got, err, ipTunsrc(t, ns), want)
		}
	}
	check("::")
	for _, a := range []string{"fd00:5e6::1", "::ffff:192.0.2.1", "::"} {
		req, err := seg6.SetTunnelSource(netip.MustParseAddr(a))
		if err != nil {
			t.Fatal(err)
		}
		if err := seg6.Do(ctx, h, req); err != nil {
			t.Fatal(err)
		}
		check(a)
	}
	nstest.IP(t, ns, "sr", "tunsrc", "set", "2001:db8::7")
	check("2001:db8::7")
}

// TestHMAC lists, adds and deletes HMAC keys in a throwaway namespace,
// compared with `ip sr hmac show`; a kernel without HMAC support must
// refuse them all with ErrHMACNotSupported, as it refuses ip.
func TestHMAC(t *testing.T) {
	h, ns := genltest.DialNS(t, "genl:SEG6")
	ctx := context.Background()
	set, err := seg6.SetHMAC(7, seg6.SHA256, []byte("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	if !nstest.Have(t, "seg6:hmac") {
		if err := genltest.FirstErr(seg6.HMACKeys(ctx, h)); !errors.Is(err, seg6.ErrHMACNotSupported) {
			t.Errorf("HMACKeys without HMAC support: %v", err)
		}
		if err := seg6.Do(ctx, h, set); !errors.Is(err, seg6.ErrHMACNotSupported) {
			t.Errorf("SetHMAC without HMAC support: %v", err)
		}
		return
	}
	if err := seg6.Do(ctx, h, set); err != nil {
		t.Fatal(err)
	}
	var ip []struct {
		HMAC   uint32 `json:"hmac"`
		Algo   string `json:"algo"`
		Secret string `json:"secret"`
	}
	nstest.IPJSON(t, ns, &ip, "sr", "hmac", "show")
	n := 0
	for k, err := range seg6.HMACKeys(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if len(ip) != 1 || k.ID() != ip[0].HMAC || k.Algorithm().String() != ip[0].Algo || string(k.Secret()) != ip[0].Secret {
			t.Errorf("key %d %s %q; ip: %+v", k.ID(), k.Algorithm(), k.Secret(), ip)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d keys", n)
	}
	del, _ := seg6.DeleteHMAC(7)
	if err := seg6.Do(ctx, h, del); err != nil {
		t.Fatal(err)
	}
	if out := nstest.IP(t, ns, "sr", "hmac", "show"); out != "" {
		t.Errorf("after DeleteHMAC, ip sr hmac show: %q", out)
	}
}

// TestFakeHMAC adds, replaces, lists and deletes HMAC keys on a fake
// kernel with HMAC support (this kernel may have none), which applies the
// requests as net/ipv6/seg6.c does.
func TestFakeHMAC(t *testing.T) {
	k, fake := seg6fake.New()
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	ctx := context.Background()
	long := bytes.Repeat([]byte{'x'}, seg6.SecretMaxLen)
	var reqs []genl.Request
	for _, r := range []struct {
		id     uint32
		alg    seg6.Algorithm
		secret []byte
	}{{9, seg6.SHA1, []byte("first")}, {3, seg6.SHA256, long}, {9, seg6.SHA256, []byte("second")}} {
		req, err := seg6.SetHMAC(r.id, r.alg, r.secret)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, req)
	}
	if err := seg6.Do(ctx, h, reqs...); err != nil {
		t.Fatal(err)
	}
	type key struct {
		id     uint32
		alg    seg6.Algorithm
		secret string
	}
	var got []key
	for k, err := range seg6.HMACKeys(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := k.Get("secretlen"); !ok || v.String() != "6" && v.String() != "64" {
			t.Errorf("key %d: by name secretlen = %v, %v", k.ID(), v, ok)
		}
		got = append(got, key{k.ID(), k.Algorithm(), string(k.Clone().Secret())})
	}
	want := []key{{3, seg6.SHA256, string(long)}, {9, seg6.SHA256, "second"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("keys %+v, want %+v", got, want)
	}
	del, _ := seg6.DeleteHMAC(9)
	if err := seg6.Do(ctx, h, del); err != nil {
		t.Fatal(err)
	}
	if err := seg6.Do(ctx, h, del); !errors.Is(err, unix.ENOENT) {
		t.Errorf("deleting a deleted key: %v, want ENOENT", err)
	}
	if keys := k.Keys(); len(keys) != 1 || keys[3].Algorithm != uint8(seg6.SHA256) {
		t.Errorf("the fake's keys after the deletion: %+v", keys)
	}
	k.DropHMAC()
	if err := genltest.FirstErr(seg6.HMACKeys(ctx, h)); !errors.Is(err, seg6.ErrHMACNotSupported) {
		t.Errorf("HMACKeys without HMAC support: %v", err)
	}
}

// TestBadInput checks that requests the kernel would refuse fail before
// sending, and that a kernel without the family is a typed error.
func TestBadInput(t *testing.T) {
	for _, a := range []netip.Addr{{}, netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("fe80::1%lo")} {
		if _, err := seg6.SetTunnelSource(a); !errors.Is(err, seg6.ErrInvalid) {
			t.Errorf("SetTunnelSource(%v): %v", a, err)
		}
	}
	if _, err := seg6.SetHMAC(0, seg6.SHA1, []byte("x")); !errors.Is(err, seg6.ErrInvalid) {
		t.Errorf("SetHMAC of key 0: %v", err)
	}
	if _, err := seg6.SetHMAC(1, seg6.SHA1, make([]byte, seg6.SecretMaxLen+1)); !errors.Is(err, seg6.ErrInvalid) {
		t.Errorf("SetHMAC with a long secret: %v", err)
	}
	if _, err := seg6.DeleteHMAC(0); !errors.Is(err, seg6.ErrInvalid) {
		t.Errorf("DeleteHMAC of key 0: %v", err)
	}
	h, _ := genltest.NoFamilies(t)
	ctx := context.Background()
	_, err := seg6.TunnelSource(ctx, h)
	genltest.WantNotFound(t, "TunnelSource", "SEG6", err)
	genltest.WantNotFound(t, "HMACKeys", "SEG6", genltest.FirstErr(seg6.HMACKeys(ctx, h)))
	del, _ := seg6.DeleteHMAC(1)
	genltest.WantNotFound(t, "Do", "SEG6", seg6.Do(ctx, h, del))
}

// TestSchema checks the hand-written by-name schema.
func TestSchema(t *testing.T) { genltest.CheckSchema(t, seg6.Schema) }

// TestAlgorithm checks the algorithms' names, as ip prints them.
func TestAlgorithm(t *testing.T) {
	for a, want := range map[seg6.Algorithm]string{seg6.SHA1: "sha1", seg6.SHA256: "sha256", 0: "<unknown>", 3: "<unknown>"} {
		if a.String() != want {
			t.Errorf("Algorithm(%d) = %q, want %q", a, a.String(), want)
		}
	}
}
