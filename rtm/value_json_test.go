package rtm

import (
	"encoding/hex"
	"encoding/json"
	"net"
	"net/netip"
	"testing"

	"github.com/ipr-go/ipr/internal/golden"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// jsonReference is what MarshalJSON gave when it called encoding/json:
// Interface's value with binary payloads as hex and addresses as strings.
func jsonReference(x any) ([]byte, error) {
	var conv func(x any) any
	conv = func(x any) any {
		switch t := x.(type) {
		case []byte:
			return hex.EncodeToString(t)
		case net.HardwareAddr:
			return t.String()
		case netip.Addr:
			return t.String()
		case map[string]any:
			m := make(map[string]any, len(t))
			for k, e := range t {
				m[k] = conv(e)
			}
			return m
		case []any:
			l := make([]any, len(t))
			for i, e := range t {
				l[i] = conv(e)
			}
			return l
		}
		return x
	}
	return json.Marshal(conv(x))
}

// TestJSONStringMatchesEncodingJSON checks schema.AppendJSONString against
// encoding/json on every byte, the runes it escapes, and broken UTF-8.
func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	inputs := []string{"", "eth0", "a\"b\\c", "<script>&", "\u2028\u2029", "é€😀", "\xff", "a\xc3", "\xed\xa0\x80", "\x7f"}
	for c := 0; c < 256; c++ {
		inputs = append(inputs, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	for _, s := range inputs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := schema.AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// TestJSONMatchesEncodingJSON checks MarshalJSON against encoding/json for
// every attribute of the captured dumps, and for each type Interface
// returns.
func TestJSONMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, uint64(1 << 63), int64(-5), "lo", []byte{0, 0xff},
		net.HardwareAddr{2, 0, 0, 0, 0, 1}, netip.MustParseAddr("fe80::1"), netip.Addr{},
		map[string]any{"b": uint64(1), "a": []any{"x", []byte{1}}, "c": map[string]any{}},
		[]any{}, map[string]any{"<": "&"},
	}
	for _, x := range values {
		want, err := jsonReference(x)
		if err != nil {
			t.Fatal(err)
		}
		if got := schema.AppendJSON(nil, x); string(got) != string(want) {
			t.Errorf("%#v: got %s, want %s", x, got, want)
		}
	}
	n := 0
	for _, c := range []struct {
		file string
		s    *schema.Schema
	}{
		{"link-dump", linkSchema}, {"addr-dump", addrSchema}, {"route4-dump", routeSchema},
		{"route6-dump", routeSchema}, {"rule-dump", ruleSchema}, {"neigh-dump", neighSchema},
		{"neightbl-dump", neighTableSchema}, {"nexthop-dump", nexthopSchema},
		{"netconf-dump", netconfSchema}, {"addrlabel-dump", addrLabelSchema}, {"nsid-dump", netnsIDSchema},
		{"mdb-dump", mdbSchema}, {"stats-dump", statsSchema},
	} {
		for m, err := range wire.Messages(golden.KernelCapture(t, "..", c.file)) {
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			fixed := FixedLen(m.Header.Type)
			if m.Header.Type < unix.RTM_BASE || fixed == 0 || len(m.Data) < fixed {
				continue
			}
			s := c.s
			if m.Header.Type >= unix.RTM_NEWLINK && m.Header.Type <= unix.RTM_GETLINK {
				s = linkSchema
			}
			for name, v := range schema.All(s, nla.Chain(m.Data[fixed:])) {
				got, err := v.MarshalJSON()
				if err != nil {
					t.Fatalf("%s: %s: %v", c.file, name, err)
				}
				want, err := jsonReference(v.Interface())
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("%s: %s: got %s, want %s", c.file, name, got, want)
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d attributes compared", n)
	}
	t.Logf("%d attributes compared", n)
}

// capturedLinks returns the links of the captured link dump.
func capturedLinks(tb testing.TB) []Link {
	var links []Link
	for m, err := range wire.Messages(golden.KernelCapture(tb, "..", "link-dump")) {
		if err != nil {
			tb.Fatal(err)
		}
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		l, err := LinkFromBytes(m.Data)
		if err != nil {
			tb.Fatal(err)
		}
		links = append(links, l)
	}
	if len(links) == 0 {
		tb.Fatal("no links captured")
	}
	return links
}

// TestGetByNameAllocatesNothing checks that by-name lookups allocate
// nothing: the schemas' binary searches (by name, and by kind for
// IFLA_INFO_DATA), through nests and structs, found or not.
func TestGetByNameAllocatesNothing(t *testing.T) {
	links := capturedLinks(t)
	found := 0
	allocs := testing.AllocsPerRun(10, func() {
		found = 0
		for _, l := range links {
			if _, ok := l.Get("ifname"); ok {
				found++
			}
			if _, ok := l.Get("linkinfo", "data", "vxlan_id"); ok {
				found++
			}
			if _, ok := l.Get("stats64", "rx_bytes"); ok {
				found++
			}
			if _, ok := l.Get("no_such_attribute"); ok {
				found += 1000
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run of by-name lookups", allocs)
	}
	if found < len(links)+1 || found >= 1000 {
		t.Errorf("lookups found %d values in %d links", found, len(links))
	}
}

// BenchmarkGetByName measures a by-name lookup through a nest chosen by
// kind.
func BenchmarkGetByName(b *testing.B) {
	links := capturedLinks(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		links[i%len(links)].Get("linkinfo", "data", "vxlan_id")
	}
}
