package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// TestPrinterFastFormats checks that the formats printed without fmt
// print what fmt prints, and that the others still go to fmt.
func TestPrinterFastFormats(t *testing.T) {
	for _, format := range []string{"%s", "%s ", "dev %s ", "from %s", "x", "%d", "metric %d ", "%5s", "%-8s ", "%%s %s", "%s %s", "%x", "100%"} {
		for _, v := range []string{"eth0", "", "a%sb"} {
			var p printer
			p.str("k", format, v)
			if want := fmt.Sprintf(format, v); string(p.buf) != want {
				t.Errorf("str(%q, %q) = %q, fmt prints %q", format, v, p.buf, want)
			}
			p.buf = p.buf[:0]
			p.strBytes("k", format, []byte(v))
			if want := fmt.Sprintf(format, v); string(p.buf) != want {
				t.Errorf("strBytes(%q, %q) = %q, fmt prints %q", format, v, p.buf, want)
			}
		}
		for _, v := range []int64{0, 7, -3, 1 << 40} {
			var p printer
			p.int("k", format, v)
			if want := fmt.Sprintf(format, v); string(p.buf) != want {
				t.Errorf("int(%q, %d) = %q, fmt prints %q", format, v, p.buf, want)
			}
			if v >= 0 {
				p.buf = p.buf[:0]
				p.uint("k", format, uint64(v))
				if want := fmt.Sprintf(format, uint64(v)); string(p.buf) != want {
					t.Errorf("uint(%q, %d) = %q, fmt prints %q", format, v, p.buf, want)
				}
			}
		}
	}
}

// TestJSONBytesMatchesString checks that the two JSON string appenders
// agree, odd bytes included.
func TestJSONBytesMatchesString(t *testing.T) {
	for _, s := range []string{"", "eth0", `a"b\c`, "\x00\x1f\x7f\n\t", "ünï €", "bad \xff utf8 \xe2\x82", "\xe2\x82\xac"} {
		if a, b := appendJSONString(nil, s), appendJSONBytes(nil, []byte(s)); string(a) != string(b) {
			t.Errorf("%q: string %s, bytes %s", s, a, b)
		}
	}
}

// TestPrinterStreams checks that a streaming printer writes its output in
// chunks as it goes, and that the chunks and the rest make the output.
func TestPrinterStreams(t *testing.T) {
	var w chunkWriter
	e := &env{Stdout: &w}
	p := e.newPrinter()
	want := make([]byte, 0)
	for i := 0; i < 20000; i++ {
		p.str("", "line %s\n", "0123456789")
		want = fmt.Appendf(want, "line %s\n", "0123456789")
		p.flush()
	}
	if w.writes < 3 {
		t.Errorf("%d writes before the end of %d bytes: not streamed", w.writes, len(want))
	}
	if len(p.buf) >= streamChunk {
		t.Errorf("%d bytes held", len(p.buf))
	}
	if err := e.output(p); err != nil {
		t.Fatal(err)
	}
	if string(w.b) != string(want) {
		t.Errorf("streamed output differs: %d bytes, want %d", len(w.b), len(want))
	}
}

type chunkWriter struct {
	b      []byte
	writes int
}

func (w *chunkWriter) Write(b []byte) (int, error) {
	w.writes++
	w.b = append(w.b, b...)
	return len(b), nil
}

// capturedRoute is a route message as a dump of 100 000 routes via a
// gateway returns each: 100.1.2.0/24 via 10.0.0.2 dev dev0, main table.
func capturedRoute(tb testing.TB) rtm.Route {
	b := []byte{unix.AF_INET, 24, 0, 0, unix.RT_TABLE_MAIN, unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, unix.RTN_UNICAST, 0, 0, 0, 0}
	attr := func(typ uint16, data ...byte) {
		b = binary.NativeEndian.AppendUint16(b, uint16(4+len(data)))
		b = binary.NativeEndian.AppendUint16(b, typ)
		b = append(b, data...)
	}
	attr(unix.RTA_TABLE, binary.NativeEndian.AppendUint32(nil, unix.RT_TABLE_MAIN)...)
	attr(unix.RTA_DST, 100, 1, 2, 0)
	attr(unix.RTA_GATEWAY, 10, 0, 0, 2)
	attr(unix.RTA_OIF, binary.NativeEndian.AppendUint32(nil, 2)...)
	r, err := rtm.RouteFromBytes(b)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestPrintCapturedRoute pins the benchmark's route to ip's output.
func TestPrintCapturedRoute(t *testing.T) {
	r := capturedRoute(t)
	names := &linkNames{byIndex: map[int32]linkRef{2: {name: "dev0", found: true}}}
	for _, c := range []struct {
		json bool
		want string
	}{
		{false, "100.1.2.0/24 via 10.0.0.2 dev dev0 \n"},
		{true, `{"dst":"100.1.2.0/24","gateway":"10.0.0.2","dev":"dev0","flags":[]}`},
	} {
		p := &printer{json: c.json}
		printRoute(p, r, &routeFilter{}, names, &nexthopCache{}, false)
		if string(p.buf) != c.want {
			t.Errorf("json %v: %q, want %q", c.json, p.buf, c.want)
		}
	}
}

// BenchmarkPrintRoute prints one captured route per operation into a
// streaming printer: allocs/op are allocations per route printed.
func BenchmarkPrintRoute(b *testing.B) {
	r := capturedRoute(b)
	names := &linkNames{byIndex: map[int32]linkRef{2: {name: "dev0", found: true}}}
	for _, json := range []bool{false, true} {
		b.Run(map[bool]string{false: "text", true: "json"}[json], func(b *testing.B) {
			e := &env{Stdout: io.Discard, JSON: json}
			p := e.newPrinter()
			p.openArray("")
			f, nh := &routeFilter{}, &nexthopCache{}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				printRoute(p, r, f, names, nh, false)
				p.flush()
			}
		})
	}
}

// TestCollectLinksCompact checks that the compact copies of a links dump
// keep the header and every attribute but the counters and the
// per-family configuration, byte for byte.
func TestCollectLinksCompact(t *testing.T) {
	hdr := []byte{unix.AF_UNSPEC, 0}
	hdr = binary.NativeEndian.AppendUint16(hdr, unix.ARPHRD_ETHER)
	hdr = binary.NativeEndian.AppendUint32(hdr, 7)
	hdr = binary.NativeEndian.AppendUint32(hdr, unix.IFF_UP|unix.IFF_BROADCAST)
	hdr = binary.NativeEndian.AppendUint32(hdr, 0xffffffff)
	attr := appendPaddedAttr
	full := attr(nil, unix.IFLA_IFNAME, 'v', 'a', '1', 0)
	full = attr(full, unix.IFLA_STATS, make([]byte, 96)...)
	full = attr(full, unix.IFLA_MTU, 0xdc, 5, 0, 0)
	full = attr(full, unix.IFLA_STATS64, make([]byte, 192)...)
	full = attr(full, unix.IFLA_AF_SPEC|unix.NLA_F_NESTED, attr(nil, unix.AF_INET6, 1, 2, 3, 4)...)
	full = attr(full, unix.IFLA_LINK, 8, 0, 0, 0)
	want := attr(nil, unix.IFLA_IFNAME, 'v', 'a', '1', 0)
	want = attr(want, unix.IFLA_MTU, 0xdc, 5, 0, 0)
	want = attr(want, unix.IFLA_LINK, 8, 0, 0, 0)

	l, err := rtm.LinkFromBytes(append(append([]byte(nil), hdr...), full...))
	if err != nil {
		t.Fatal(err)
	}
	links, err := collectLinksCompact(func(yield func(rtm.Link, error) bool) {
		for range 3 {
			if !yield(l, nil) {
				return
			}
		}
	})
	if err != nil || len(links) != 3 {
		t.Fatalf("%d links, %v", len(links), err)
	}
	for _, c := range links {
		if c.Index() != 7 || c.Type() != unix.ARPHRD_ETHER || c.Flags() != l.Flags() || c.Change() != l.Change() || c.Name() != "va1" {
			t.Errorf("header or name changed: index %d type %d flags %#x change %#x name %q", c.Index(), c.Type(), c.Flags(), c.Change(), c.Name())
		}
		if string(c.Chain()) != string(want) {
			t.Errorf("attributes\n%x\nwant\n%x", []byte(c.Chain()), want)
		}
	}
}

// BenchmarkPrintLink prints the links of the differential tests'
// namespace (veths, a bridge and its port), dumped once: allocs/op are
// allocations per link printed, in "link show" form.
func BenchmarkPrintLink(b *testing.B) {
	ns := variedNamespace(b)
	for _, json := range []bool{false, true} {
		b.Run(map[bool]string{false: "text", true: "json"}[json], func(b *testing.B) {
			e := &env{ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard}
			defer e.close()
			var g globals
			if _, err := g.parse(e, []string{"-n", ns.Name}); err != nil {
				b.Fatal(err)
			}
			e.JSON = json
			h, err := e.handle()
			if err != nil {
				b.Fatal(err)
			}
			f := showFilter{family: unix.AF_PACKET}
			links, names, err := selectLinks(e.ctx, h, &f, false)
			if err != nil || len(links) == 0 {
				b.Fatalf("%d links, %v", len(links), err)
			}
			p := e.newPrinter()
			p.openArray("")
			var idx nla.Index
			o := linkPrint{doLink: true, linkLayer: true}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				l := links[i%len(links)]
				p.openObject("")
				if f.keepLink(l, &idx) {
					printLink(p, l, &idx, names, o)
				}
				p.closeObject()
				p.flush()
			}
		})
	}
}

// TestAppendIPv4MatchesNetip checks the dotted-decimal formatter against
// netip's for every value of every byte.
func TestAppendIPv4MatchesNetip(t *testing.T) {
	for v := range 256 {
		for pos := range 4 {
			ip := []byte{1, 20, 255, 0}
			ip[pos] = byte(v)
			if got, want := string(appendIPv4([]byte("x"), ip)), "x"+netip.AddrFrom4([4]byte(ip)).String(); got != want {
				t.Fatalf("appendIPv4(%v) = %q, want %q", ip, got, want)
			}
		}
	}
}

// TestRouteAttrsMatchIndex checks that the printer's one-pass attribute
// table finds what nla.Index finds, first of each type, malformed tails
// and padding-less last attributes included.
func TestRouteAttrsMatchIndex(t *testing.T) {
	attr := appendPaddedAttr
	var c []byte
	c = attr(c, unix.RTA_DST, 10, 0, 0, 0)
	c = attr(c, unix.RTA_OIF, 2, 0, 0, 0)
	c = attr(c, unix.RTA_DST, 10, 9, 9, 9) // a second DST: the first counts
	c = attr(c, unix.NLA_F_NESTED|unix.RTA_METRICS, 8, 0, 2, 0, 0, 5, 0, 0)
	c = attr(c, 200, 1)           // beyond the table
	c = attr(c, unix.RTA_PREF, 1) // 5 bytes, padded
	chains := [][]byte{c, c[:len(c)-3], append(c[:len(c):len(c)], 9, 0, 0), append(c[:len(c):len(c)], 3, 0, 1, 0)}
	for i, ch := range chains {
		var ra routeAttrs
		ra.reset(nla.Chain(ch))
		var x nla.Index
		x.Reset(nla.Chain(ch))
		for typ := uint16(0); typ < routeAttrTypes; typ++ {
			a, ok := ra.get(typ)
			b, okb := x.Get(typ)
			if ok != okb || string(a.Data) != string(b.Data) {
				t.Errorf("chain %d, type %d: %v %x, nla.Index %v %x", i, typ, ok, a.Data, okb, b.Data)
			}
		}
	}
}

// TestJSONPlainBytes checks the set of bytes JSON strings hold unescaped
// against its definition.
func TestJSONPlainBytes(t *testing.T) {
	for c := range 256 {
		want := c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
		if got := jsonPlain[c>>6]&(1<<(c&63)) != 0; got != want {
			t.Errorf("byte %#x: plain %v, want %v", c, got, want)
		}
	}
}

// TestPrinterAroundMatchesFormats checks that the ...Around methods print
// what str, strBytes and uint print with the format pre+verb+post, in
// text and in JSON, between other members.
func TestPrinterAroundMatchesFormats(t *testing.T) {
	for _, json := range []bool{false, true} {
		a, b := &printer{json: json}, &printer{json: json}
		for _, p := range []*printer{a, b} {
			p.openObject("")
			p.str("first", "%s ", "x")
		}
		a.strAround("dev", "dev ", `e"0`, " ")
		b.str("dev", "dev %s ", `e"0`)
		a.bytesAround("name", "", []byte("n\\1"), "")
		b.strBytes("name", "%s", []byte("n\\1"))
		a.addrAround("gateway", "via ", []byte("10.0.0.2"), " ")
		b.strBytes("gateway", "via %s ", []byte("10.0.0.2"))
		a.uintAround("metric", "metric ", 1024, " ")
		b.uint("metric", "metric %d ", 1024)
		for _, p := range []*printer{a, b} {
			p.closeObject()
		}
		if string(a.buf) != string(b.buf) {
			t.Errorf("json %v: %s, want %s", json, a.buf, b.buf)
		}
	}
}

// appendPaddedAttr is appendAttr with the data spelled out as arguments.
func appendPaddedAttr(b []byte, typ uint16, data ...byte) []byte {
	return appendAttr(b, typ, data)
}
