package fuzz

import (
	"errors"
	"math/big"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/ipnet"
)

var ipnetSeeds = []string{
	"0.0.0.0", "192.0.2.1", "255.255.255.255", "01.2.3.4", "1.2.3.4/24", "1.2.3.0/255.255.255.0",
	"1.2.3.0/0.0.0.255", "1.2.3.0/024", "::", "::1", "1::", "2001:db8::1/64", "::ffff:192.0.2.1",
	"1:2:3:4:5:6:1.2.3.4", "fe80::1%eth0", "fe80::%eth0/64", "1:2:3:4:5:6:7:8", "1::2::3", ":::",
	"2001:db8::/129", "1.2.3.4/33", "1.2.3.4//1",
}

// FuzzIpnetRoundTrip checks that nothing panics, that every rejection is
// one of the package's error types, and that whatever parses prints to a
// string that parses back to the same value.
func FuzzIpnetRoundTrip(f *testing.F) {
	for _, s := range ipnetSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ipnet.ParseAddress(s); err == nil {
			for _, form := range []string{a.String(), a.Exploded()} {
				b, err := ipnet.ParseAddress(form)
				if err != nil || b != a {
					t.Fatalf("address %q printed as %q parses to %v, %v", s, form, b, err)
				}
			}
			if b := ipnet.AddrFromNetip(a.Netip()); b != a {
				t.Fatalf("address %q via netip: %v", s, b)
			}
			if b, err := ipnet.AddrFromBytes(a.Packed()); err != nil || b.Uint128() != a.Uint128() {
				t.Fatalf("address %q via bytes: %v, %v", s, b, err)
			}
		} else {
			checkErr(t, s, err)
		}
		if n, err := ipnet.ParseNetwork(s, false); err == nil {
			forms := []string{n.String(), n.Exploded()}
			if n.Version() == 4 {
				// IPv6 masks are prefix lengths only; and as in Python, the
				// all-zeros and all-ones masks read as netmasks, so only
				// other hostmasks round-trip.
				forms = append(forms, n.WithNetmask())
				if l := n.PrefixLen(); l != 0 && l != 32 {
					forms = append(forms, n.WithHostmask())
				}
			}
			for _, form := range forms {
				m, err := ipnet.ParseNetwork(form, true)
				if err != nil || m != n {
					t.Fatalf("network %q printed as %q parses to %v, %v", s, form, m, err)
				}
			}
			if strict, err := ipnet.ParseNetwork(s, true); err == nil && strict != n {
				t.Fatalf("network %q: strict %v, lax %v", s, strict, n)
			} else if err != nil && !errors.Is(err, ipnet.ErrValue) {
				t.Fatalf("network %q strict: %v", s, err)
			}
		} else {
			checkErr(t, s, err)
		}
		if i, err := ipnet.ParseInterface(s); err == nil {
			j, err := ipnet.ParseInterface(i.String())
			if err != nil || j != i {
				t.Fatalf("interface %q printed as %q parses to %v, %v", s, i, j, err)
			}
			if ok, _ := i.Network().Contains(i.IP()); !ok {
				t.Fatalf("interface %q: network %v does not contain %v", s, i.Network(), i.IP())
			}
			if rp := i.ReversePointer(); !strings.HasSuffix(rp, ".arpa") {
				t.Fatalf("interface %q: reverse pointer %q", s, rp)
			}
			if next, err := i.Add(1); err == nil {
				if next.PrefixLen() != next.IP().MaxPrefixLen() || next.IP() == i.IP() {
					t.Fatalf("interface %q + 1 = %v", s, next)
				}
			} else {
				checkErr(t, s, err)
			}
		} else {
			checkErr(t, s, err)
		}
	})
}

func checkErr(t *testing.T, s string, err error) {
	t.Helper()
	if !errors.Is(err, ipnet.ErrValue) || err.Error() == "" {
		t.Fatalf("%q: unexpected error %T %v", s, err, err)
	}
}

// FuzzIpnetNetip compares parsing with net/netip where the two agree on
// the language: addresses without a scope id, and prefixes whose length
// is written without leading zeros.
func FuzzIpnetNetip(f *testing.F) {
	for _, s := range ipnetSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '/') < 0 {
			want, werr := netip.ParseAddr(s)
			a, err := ipnet.ParseAddress(s)
			if (err == nil) != (werr == nil) {
				t.Fatalf("%q: ipnet error %v, netip error %v", s, err, werr)
			}
			if err == nil && a.Netip() != want {
				t.Fatalf("%q: ipnet %v, netip %v", s, a.Netip(), want)
			}
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return
		}
		i, err := ipnet.ParseInterface(s)
		if err != nil || i.Netip() != p {
			t.Fatalf("%q: ipnet %v, %v; netip %v", s, i, err, p)
		}
		n, err := ipnet.ParseNetwork(s, false)
		if err != nil || n.Netip() != p.Masked() {
			t.Fatalf("%q: ipnet network %v, %v; netip %v", s, n, err, p.Masked())
		}
		a := ipnet.AddrFromNetip(p.Addr())
		if in, err := n.Contains(a); err != nil || !in {
			t.Fatalf("%q: %v does not contain %v: %v", s, n, a, err)
		}
	})
}

// nets4 turns fuzz bytes into IPv4 networks of /20 to /32 clustered in
// 10.0.0.0/16, so that they overlap and touch often.
func nets4(data []byte) []ipnet.Net4 {
	var nets []ipnet.Net4
	for ; len(data) >= 3; data = data[3:] {
		a := ipnet.Addr4From(10<<24 | uint32(data[0])<<8 | uint32(data[1]))
		n, _ := ipnet.NewNet4(a, 20+int(data[2])%13, false)
		nets = append(nets, n)
	}
	return nets
}

// covered returns the set of host numbers (the low 16 bits) of the
// addresses in nets, all of which lie in 10.0.0.0/16, and its size.
func covered(nets []ipnet.Net4) (*[1 << 16]bool, int) {
	var set [1 << 16]bool
	count := 0
	for _, n := range nets {
		for a := range n.All() {
			if h := a.Uint32() & 0xffff; !set[h] {
				set[h] = true
				count++
			}
		}
	}
	return &set, count
}

// checkMinimalSorted checks that nets are ascending, disjoint and contain
// no two halves of one network: then no smaller list covers the same
// addresses.
func checkMinimalSorted(t *testing.T, nets []ipnet.Net4) {
	t.Helper()
	for i := 1; i < len(nets); i++ {
		p, n := nets[i-1], nets[i]
		if p.BroadcastAddress().Uint32() >= n.NetworkAddress().Uint32() {
			t.Fatalf("%v and %v overlap or are out of order", p, n)
		}
	}
	seen := map[ipnet.Net4]bool{}
	for _, n := range nets {
		seen[n] = true
	}
	for _, n := range nets {
		if n.PrefixLen() == 0 {
			continue
		}
		s, _ := n.Supernet(1)
		halves, _ := s.Subnets(1)
		both := 0
		for h := range halves {
			if seen[h] {
				both++
			}
		}
		if both == 2 {
			t.Fatalf("both halves of %v present", s)
		}
	}
}

// FuzzIpnetCollapse checks that CollapseAddresses4 covers exactly the
// input addresses with a minimal sorted list, and that mixing versions in
// CollapseAddresses is a *VersionError.
func FuzzIpnetCollapse(f *testing.F) {
	f.Add([]byte{0, 0, 8, 0, 128, 9, 1, 0, 8})
	f.Add([]byte{0, 0, 0, 1, 0, 16, 2, 3, 12, 255, 255, 16})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 3*64 {
			return
		}
		in := nets4(data)
		out := slices.Collect(ipnet.CollapseAddresses4(nil, in))
		checkMinimalSorted(t, out)
		want, nwant := covered(in)
		got, ngot := covered(out)
		if *want != *got {
			t.Fatalf("collapse of %v covers %d addresses, want %d: %v", in, ngot, nwant, out)
		}
		if len(in) > 0 {
			mixed := []ipnet.Addr{ipnet.AddrFrom4(in[0].NetworkAddress()), ipnet.MustParseAddress("::1")}
			if _, err := ipnet.CollapseAddresses(mixed, nil); !errors.Is(err, ipnet.ErrVersion) {
				t.Fatalf("mixed collapse: %v", err)
			}
		}
	})
}

// FuzzIpnetExcludeSummarize checks that AddressExclude leaves exactly the
// network minus the excluded part, and that SummarizeAddressRange covers
// exactly its range, both with minimal sorted-by-Python's-rules results.
func FuzzIpnetExcludeSummarize(f *testing.F) {
	f.Add([]byte{0, 0, 16, 0, 5, 30})
	f.Add([]byte{1, 2, 20, 1, 2, 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) != 6 {
			return
		}
		ns := nets4(data)
		n, o := ns[0], ns[1]
		rest, err := n.AddressExclude(o)
		if !o.SubnetOf(n) {
			if !errors.Is(err, ipnet.ErrValue) {
				t.Fatalf("%v exclude %v: %v", n, o, err)
			}
		} else {
			if err != nil {
				t.Fatalf("%v exclude %v: %v", n, o, err)
			}
			parts := slices.Collect(rest)
			total := o.NumAddresses()
			for _, p := range parts {
				if !p.SubnetOf(n) || p.Overlaps(o) {
					t.Fatalf("%v exclude %v yielded %v", n, o, p)
				}
				total += p.NumAddresses()
			}
			if total != n.NumAddresses() {
				t.Fatalf("%v exclude %v: %v leave out addresses", n, o, parts)
			}
			slices.SortFunc(parts, ipnet.Net4.Compare)
			checkMinimalSorted(t, parts)
		}

		first, last := ns[0].NetworkAddress(), ns[1].BroadcastAddress()
		sum, err := ipnet.SummarizeAddressRange4(first, last)
		if last.Less(first) {
			if !errors.Is(err, ipnet.ErrValue) {
				t.Fatalf("summarize %v..%v: %v", first, last, err)
			}
			return
		}
		next := first.Uint32()
		var out []ipnet.Net4
		for s := range sum {
			if s.NetworkAddress().Uint32() != next {
				t.Fatalf("summarize %v..%v: gap or overlap at %v", first, last, s)
			}
			next = s.BroadcastAddress().Uint32() + 1
			out = append(out, s)
		}
		if out[len(out)-1].BroadcastAddress() != last {
			t.Fatalf("summarize %v..%v ends at %v", first, last, out[len(out)-1])
		}
		checkMinimalSorted(t, out)
	})
}

// FuzzIpnetFormat checks Format on any address and spec: it never panics,
// fails only with *ValueError or *FormatError, and what it returns holds the
// address: its text for an 's' spec, its integer value for the others.
func FuzzIpnetFormat(f *testing.F) {
	for _, spec := range []string{"", "s", ">20s", "x^41s", "0<12.3s", "=s", "+s", "#x", "_b", "#_X",
		"n", "#_n", "q", "10b", ",s", "٣s", "99999999999999999999s", "\u2007^70s"} {
		f.Add("192.0.2.1", spec)
		f.Add("fe80::1%eth0", spec)
	}
	f.Fuzz(func(t *testing.T, addr, spec string) {
		a, err := ipnet.ParseAddress(addr)
		if err != nil {
			return
		}
		got, err := a.Format(spec)
		if err != nil {
			if !errors.Is(err, ipnet.ErrValue) && !errors.Is(err, ipnet.ErrFormat) || err.Error() == "" {
				t.Fatalf("%v formatted with %q: unexpected error %T %v", a, spec, err, err)
			}
			return
		}
		if spec == "" || strings.HasSuffix(spec, "s") {
			if len(got) > 4*max(ipnet.MaxFormatWidth, len(a.String())) {
				t.Fatalf("%v formatted with %q: %d bytes", a, spec, len(got))
			}
			if !strings.HasSuffix(spec, ".0s") && !strings.Contains(got, a.String()[:1]) {
				t.Fatalf("%v formatted with %q: %q", a, spec, got)
			}
			return
		}
		digits := strings.ReplaceAll(got, "_", "")
		base := 16
		if strings.HasSuffix(spec, "b") || strings.HasSuffix(spec, "n") && a.Is4() {
			base = 2
		}
		if len(digits) > 2 && digits[0] == '0' && strings.ContainsAny(digits[1:2], "bxX") {
			digits = digits[2:]
		}
		v, ok := new(big.Int).SetString(digits, base)
		u := a.Uint128()
		want := new(big.Int).Lsh(new(big.Int).SetUint64(u.Hi), 64)
		want.Or(want, new(big.Int).SetUint64(u.Lo))
		if !ok || v.Cmp(want) != 0 {
			t.Fatalf("%v formatted with %q: %q is not its value", a, spec, got)
		}
	})
}
