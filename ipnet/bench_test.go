package ipnet

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// Each benchmark has a net/netip twin on the same inputs.

var (
	sinkBool bool
	sinkInt  int
)

// benchAddrs are the inputs of BenchmarkParseAddr, each valid for both
// packages.
var benchAddrs = []struct{ name, s string }{
	{"v4", "192.168.140.255"},
	{"v6", "2001:db8:85a3:8d3:1319:8a2e:370:7348"},
	{"v6short", "2001:db8::1"},
	{"v6v4", "::ffff:192.0.2.1"},
	{"v6zone", "fe80::1%eth0"},
}

// BenchmarkParseAddr compares ParseAddress, the typed parsers and
// netip.ParseAddr on the same inputs; compare them with
// benchstat -col /impl.
func BenchmarkParseAddr(b *testing.B) {
	for _, in := range benchAddrs {
		b.Run("in="+in.name+"/impl=ipnet", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				a, _ := ParseAddress(in.s)
				sinkInt += int(a.v)
			}
		})
		b.Run("in="+in.name+"/impl=typed", func(b *testing.B) {
			b.ReportAllocs()
			if strings.Contains(in.s, ":") {
				for i := 0; i < b.N; i++ {
					a, _ := ParseAddr6(in.s)
					sinkInt += int(a.u.Lo)
				}
				return
			}
			for i := 0; i < b.N; i++ {
				a, _ := ParseAddr4(in.s)
				sinkInt += int(a.v)
			}
		})
		b.Run("in="+in.name+"/impl=netip", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				a, _ := netip.ParseAddr(in.s)
				sinkBool = a.Is4()
			}
		})
	}
}

// BenchmarkParsePrefix compares ParseNetwork, the typed parsers and
// netip.ParsePrefix.
func BenchmarkParsePrefix(b *testing.B) {
	for _, in := range []struct{ name, s string }{
		{"v4", "192.168.140.0/24"},
		{"v6", "2001:db8:85a3::/48"},
	} {
		b.Run("in="+in.name+"/impl=ipnet", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n, _ := ParseNetwork(in.s, true)
				sinkInt += int(n.bits)
			}
		})
		b.Run("in="+in.name+"/impl=typed", func(b *testing.B) {
			b.ReportAllocs()
			if strings.Contains(in.s, ":") {
				for i := 0; i < b.N; i++ {
					n, _ := ParseNet6(in.s, true)
					sinkInt += int(n.bits)
				}
				return
			}
			for i := 0; i < b.N; i++ {
				n, _ := ParseNet4(in.s, true)
				sinkInt += int(n.bits)
			}
		})
		b.Run("in="+in.name+"/impl=netip", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p, _ := netip.ParsePrefix(in.s)
				sinkInt += p.Bits()
			}
		})
	}
}

func BenchmarkContains4(b *testing.B) {
	n, a := MustParseNet4("10.0.0.0/8"), MustParseAddr4("10.1.2.3")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBool = n.Contains(a)
	}
}

func BenchmarkNetipContainsV4(b *testing.B) {
	p, a := netip.MustParsePrefix("10.0.0.0/8"), netip.MustParseAddr("10.1.2.3")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBool = p.Contains(a)
	}
}

func BenchmarkContains6(b *testing.B) {
	n, a := MustParseNet6("2001:db8::/32"), MustParseAddr6("2001:db8::1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBool = n.Contains(a)
	}
}

func BenchmarkNetipContainsV6(b *testing.B) {
	p, a := netip.MustParsePrefix("2001:db8::/32"), netip.MustParseAddr("2001:db8::1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBool = p.Contains(a)
	}
}

func BenchmarkString6(b *testing.B) {
	a := MustParseAddr6("2001:db8::1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkInt += len(a.String())
	}
}

func BenchmarkNetipString6(b *testing.B) {
	a := netip.MustParseAddr("2001:db8::1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkInt += len(a.String())
	}
}

// randomNets4 returns n random IPv4 networks with prefix lengths 8..32.
func randomNets4(n int) []Net4 {
	r := rand.New(rand.NewPCG(1, 2))
	nets := make([]Net4, n)
	for i := range nets {
		bits := 8 + r.IntN(25)
		nets[i] = Net4{r.Uint32() & mask4(bits), uint8(bits)}
	}
	return nets
}

// randomNets6 returns n random IPv6 networks inside 2000::/8 with prefix
// lengths 16..128.
func randomNets6(n int) []Net6 {
	r := rand.New(rand.NewPCG(3, 4))
	nets := make([]Net6, n)
	for i := range nets {
		bits := 16 + r.IntN(113)
		u := Uint128{0x20<<56 | r.Uint64()>>8, r.Uint64()}.And(mask6(bits))
		nets[i] = Net6{Addr6{u: u}, uint8(bits)}
	}
	return nets
}

func BenchmarkCollapse4(b *testing.B) {
	nets := randomNets4(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkInt += len(slices.Collect(CollapseAddresses4(nil, nets)))
	}
}

func BenchmarkCollapse6(b *testing.B) {
	nets := randomNets6(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkInt += len(slices.Collect(CollapseAddresses6(nil, nets)))
	}
}
