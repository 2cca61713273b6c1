package fuzz

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"iter"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// The rtm targets decode arbitrary bytes as the payload of one message
// type (what follows nlmsghdr) with that type's view, and then use the view
// in every way the API allows: every exported method that takes no
// arguments, called through reflection so that a method added later is
// fuzzed without anyone remembering to; [Value] access by every name the
// view's schema knows; every attribute through Attrs, decoded with
// Interface, String and MarshalJSON. Nothing may panic, and
//
//   - the decoder accepts exactly the payloads as long as the message
//     type's fixed header (rtm.FixedLen), and the view aliases them;
//   - the header fields the view reports are the bytes at their offsets in
//     the C struct of the message type, which ties each target to its type;
//   - Get(name) finds an attribute exactly when Attrs yields that name, and
//     returns the first one Attrs yields, at every level of nesting;
//   - every iterator ends, after at most one item per four bytes;
//   - a Clone owns its bytes and reads the same in every respect.
//
// Each target also checks that its seed corpus drives it through the view
// it names: run without -fuzz, it fails unless the seeds decoded as that
// view type reached every one of its methods and the features its seeds
// were captured for (multipath next hops, nexthop groups, link kind data,
// ...).

var native = binary.NativeEndian

// rtmView is the part of the API every rtm message view shares.
type rtmView[V any] interface {
	Bytes() []byte
	Clone() V
	Get(path ...string) (rtm.Value, bool)
	Attrs() iter.Seq2[string, rtm.Value]
}

// viewTarget describes the fuzzing of one view type.
type viewTarget[V rtmView[V]] struct {
	// view is the view's type name in package rtm, "Route".
	view string
	// msgType is the message type the view decodes, RTM_NEWROUTE.
	msgType uint16
	decode  func([]byte) (V, error)
	// schemaNames are names the view's schema must have: proof that Get
	// and Attrs name attributes with the schema of this message type.
	schemaNames []string
	// features must each be recorded by check for some seed.
	features []string
	// check tests the view's header fields against the raw payload b,
	// and the invariants particular to the view, and records features.
	check func(t *testing.T, cov *coverage, b []byte, v V)
}

// coverage records what a target's inputs reached.
type coverage struct {
	mu       sync.Mutex
	typeName string
	decoded  int
	methods  map[string]int
	features map[string]int
}

func (c *coverage) method(name string) {
	c.mu.Lock()
	c.methods[name]++
	c.mu.Unlock()
}

func (c *coverage) hit(feature string) {
	c.mu.Lock()
	c.features[feature]++
	c.mu.Unlock()
}

// family records "IPv4" when the view's family fam is v4 and "IPv6" when
// it is v6: AF_INET and AF_INET6, or the multicast routes' families.
func (c *coverage) family(fam, v4, v6 uint8) {
	switch fam {
	case v4:
		c.hit("IPv4")
	case v6:
		c.hit("IPv6")
	}
}

// addrFamily records "IPv4" or "IPv6" when the view's family fam and its
// address a agree on it.
func (c *coverage) addrFamily(fam uint8, a netip.Addr) {
	switch {
	case fam == unix.AF_INET && a.Is4():
		c.hit("IPv4")
	case fam == unix.AF_INET6 && a.Is6():
		c.hit("IPv6")
	}
}

// fuzzing reports whether this run fuzzes the target named name, or runs
// only some of its seeds: its seed-corpus coverage is then not checked.
func fuzzing(name string) bool {
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		if ok, _ := regexp.MatchString(f.Value.String(), name); ok {
			return true
		}
	}
	r := flag.Lookup("test.run")
	return r != nil && strings.Contains(r.Value.String(), "/")
}

// wantSeeds fails f, when its seeds ran alone (see fuzzing), unless every
// one of reached was set by some seed: a target whose seeds stop reaching
// what it checks would pass having checked nothing. what says what the
// seeds were to decode as.
func wantSeeds(f *testing.F, what string, reached ...*atomic.Bool) {
	f.Cleanup(func() {
		if f.Failed() || fuzzing(f.Name()) {
			return
		}
		for _, r := range reached {
			if !r.Load() {
				f.Error("no seed " + what)
				return
			}
		}
	})
}

func fuzzView[V rtmView[V]](f *testing.F, vt viewTarget[V]) {
	hdr := rtm.FixedLen(vt.msgType)
	if hdr <= 0 {
		f.Fatalf("rtm.FixedLen(%d) = %d", vt.msgType, hdr)
	}
	paths := schemaPaths(f, vt.decode, hdr)
	for _, n := range vt.schemaNames {
		if !slices.ContainsFunc(paths, func(p []string) bool { return len(p) == 1 && p[0] == n }) {
			f.Fatalf("the %s schema has no attribute %q: the view does not decode message type %d", vt.view, n, vt.msgType)
		}
	}
	methods := zeroArgMethods(reflect.TypeFor[V]())
	cov := &coverage{methods: map[string]int{}, features: map[string]int{}}
	f.Cleanup(func() {
		if f.Failed() || fuzzing(f.Name()) {
			return
		}
		if want := "rtm." + vt.view; cov.typeName != want {
			f.Fatalf("the seeds decoded as %q, want %q", cov.typeName, want)
		}
		if cov.decoded == 0 {
			f.Fatalf("no seed decoded as rtm.%s", vt.view)
		}
		for _, m := range methods {
			if cov.methods[m] == 0 {
				f.Errorf("no seed reached rtm.%s.%s", vt.view, m)
			}
		}
		for _, ft := range vt.features {
			if cov.features[ft] == 0 {
				f.Errorf("no seed has %s", ft)
			}
		}
		f.Logf("%d seeds decoded as rtm.%s; %d methods reached; features %v", cov.decoded, vt.view, len(methods), cov.features)
	})

	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := vt.decode(b)
		if len(b) < hdr {
			if err == nil {
				t.Fatalf("%d-byte payload accepted; the %s header is %d bytes", len(b), vt.view, hdr)
			}
			return
		}
		if err != nil {
			t.Fatalf("%d-byte payload rejected: %v", len(b), err)
		}
		tn := reflect.TypeOf(v).String()
		cov.mu.Lock()
		cov.typeName = tn
		cov.decoded++
		cov.mu.Unlock()
		if tn != "rtm."+vt.view {
			t.Fatalf("decoded as %s, want rtm.%s", tn, vt.view)
		}
		if vb := v.Bytes(); len(vb) != len(b) || &vb[0] != &b[0] {
			t.Fatal("Bytes does not return the payload")
		}

		results := callAll(t, v, len(b), cov)
		checkAttrs(t, v.Attrs(), v.Get, true)
		for _, p := range paths {
			got, ok := v.Get(p...)
			if !ok {
				continue
			}
			if got.Name() != p[len(p)-1] {
				t.Fatalf("Get(%q) returned a value named %q", p, got.Name())
			}
			walkValue(t, got, false)
		}
		vt.check(t, cov, b, v)

		c := v.Clone()
		if cb := c.Bytes(); !bytes.Equal(cb, b) || &cb[0] == &b[0] {
			t.Fatal("Clone does not copy the payload")
		}
		if again := callAll(t, c, len(b), nil); !reflect.DeepEqual(results, again) {
			t.Fatalf("the clone reads differently:\n%v\n%v", results, again)
		}
	})
}

// zeroArgMethods returns the names of the exported methods of t that take
// no arguments.
func zeroArgMethods(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumMethod(); i++ {
		if m := t.Method(i); m.Type.NumIn() == 1 { // the receiver
			names = append(names, m.Name)
		}
	}
	return names
}

// callAll calls every exported method of v that takes no arguments and
// walks what it returns, iterators included. It returns the results by
// method, iterators collected, for comparison with another view's.
func callAll(t *testing.T, v any, size int, cov *coverage) map[string][]any {
	t.Helper()
	rv := reflect.ValueOf(v)
	out := map[string][]any{}
	for i := 0; i < rv.NumMethod(); i++ {
		m := rv.Type().Method(i)
		if m.Type.NumIn() != 1 {
			continue
		}
		res := rv.Method(i).Call(nil)
		if cov != nil {
			cov.method(m.Name)
		}
		if m.Name == "Clone" || m.Name == "Bytes" {
			continue // checked by the caller
		}
		for _, r := range res {
			out[m.Name] = append(out[m.Name], walk(t, m.Name, r, size))
		}
	}
	return out
}

var (
	valueType = reflect.TypeFor[rtm.Value]()
	chainType = reflect.TypeFor[nla.Chain]()
)

// walk uses a method's result: it iterates iterators and attribute chains,
// decodes Values, formats Stringers. It returns what it saw.
func walk(t *testing.T, method string, r reflect.Value, size int) any {
	switch {
	case r.Type() == valueType:
		// Attrs yields these; checkAttrs walks them.
		v := r.Interface().(rtm.Value)
		return [2]any{v.Name(), v.Bytes()}
	case r.Type() == chainType:
		c := r.Interface().(nla.Chain)
		var attrs []nla.Attr
		for a := range c.All() {
			attrs = append(attrs, a)
			if len(attrs) > size/4 {
				t.Fatalf("%s: chain of %d bytes yields more than %d attributes", method, len(c), size/4)
			}
		}
		_ = c.Err()
		return attrs
	case r.Kind() == reflect.Func && r.Type().CanSeq():
		var items []any
		for item := range r.Seq() {
			items = append(items, walk(t, method, item, size))
			if len(items) > size/4 {
				t.Fatalf("%s: iterator over %d bytes yields more than %d items", method, size, size/4)
			}
		}
		return items
	case r.Kind() == reflect.Func && r.Type().CanSeq2():
		var items []any
		for k, v := range r.Seq2() {
			items = append(items, walk(t, method, k, size), walk(t, method, v, size))
			// HeaderFields yields the fixed header's fields, a byte or
			// more each, at most 9 of them.
			if len(items) > size/2 && !(method == "HeaderFields" && len(items) <= 2*9) {
				t.Fatalf("%s: iterator over %d bytes yields more than %d pairs", method, size, size/4)
			}
		}
		return items
	}
	x := r.Interface()
	if s, ok := x.(fmt.Stringer); ok {
		return [2]any{x, s.String()}
	}
	return x
}

// walkValue uses every accessor of a Value and of the Values under it.
// The decoders of the whole tree (Interface, String, MarshalJSON) recurse
// by themselves; they run on the roots only, so that the walk stays
// linear in the size of the message.
func walkValue(t *testing.T, v rtm.Value, root bool) {
	_ = v.Bytes()
	_, _ = v.Uint()
	_, _ = v.Int()
	_, _ = v.Text()
	_, _ = v.Addr()
	if root {
		_ = v.Interface()
		_ = v.String()
		j, err := v.MarshalJSON()
		if err != nil || !json.Valid(j) {
			t.Fatalf("%s: MarshalJSON = %q, %v", v.Name(), j, err)
		}
	}
	if self, ok := v.Get(); !ok || self.Name() != v.Name() {
		t.Fatalf("%s: Get() = %v, %v", v.Name(), self.Name(), ok)
	}
	if v.IsNested() {
		checkAttrs(t, v.Attrs(), v.Get, false)
	}
}

// checkAttrs walks every attribute attrs yields and checks that get finds,
// by name, the first attribute of each name, and nothing else.
func checkAttrs(t *testing.T, attrs iter.Seq2[string, rtm.Value], get func(...string) (rtm.Value, bool), roots bool) {
	first := map[string][]byte{}
	for name, v := range attrs {
		if v.Name() != name {
			t.Fatalf("Attrs yields %q with a value named %q", name, v.Name())
		}
		if _, seen := first[name]; !seen {
			first[name] = v.Bytes()
		}
		walkValue(t, v, roots)
	}
	for name, fb := range first {
		g, ok := get(name)
		if !ok {
			t.Fatalf("Attrs yields %q, Get does not find it", name)
		}
		if gb := g.Bytes(); len(gb) != len(fb) || len(gb) > 0 && &gb[0] != &fb[0] {
			t.Fatalf("Get(%q) is not the first %q Attrs yields", name, name)
		}
		if _, ok := get(name, "no such name"); ok {
			t.Fatalf("Get(%q, \"no such name\") found something", name)
		}
	}
	if _, ok := get("no such name"); ok {
		t.Fatal(`Get("no such name") found something`)
	}
}

// probeChain is an attribute chain holding one empty attribute of each
// type 0 to 64: as the payload of a nested attribute, it makes every
// name of the nested schema appear, and it is long enough for every field
// of a struct attribute.
var probeChain = func() []byte {
	var e nla.Encoder
	for typ := uint16(0); typ <= 64; typ++ {
		e.Flag(typ)
	}
	return e.Bytes()
}()

// schemaPaths lists the names the view's schema gives attributes of types
// 0 to 127 and, one level down, the names of the attributes or fields of
// each nested or struct attribute: the paths the fuzz targets Get. The
// schema is not exported; decoding a message holding an attribute of every
// type reveals it.
func schemaPaths[V rtmView[V]](f *testing.F, decode func([]byte) (V, error), hdr int) [][]string {
	e := nla.NewEncoder(make([]byte, hdr))
	for typ := uint16(0); typ < 128; typ++ {
		e.Binary(typ, probeChain)
	}
	v, err := decode(e.Bytes())
	if err != nil {
		f.Fatal(err)
	}
	var paths [][]string
	for name, val := range v.Attrs() {
		if strings.HasPrefix(name, "attr_") {
			continue
		}
		paths = append(paths, []string{name})
		for sub := range val.Attrs() {
			if !strings.HasPrefix(sub, "attr_") {
				paths = append(paths, []string{name, sub})
			}
		}
	}
	if len(paths) == 0 {
		f.Fatal("the view names no attribute")
	}
	return paths
}

// has reports whether the view has the attribute of that name.
func has(v interface {
	Get(...string) (rtm.Value, bool)
}, name string) bool {
	_, ok := v.Get(name)
	return ok
}

// checkTable checks the table of a route or rule view v against hdr, the
// 8-bit table of its header: without the 32-bit table attribute (attr:
// RTA_TABLE, FRA_TABLE) the header's is the table. It records tables
// above 255, which only the attribute can carry.
func checkTable(t *testing.T, cov *coverage, v interface {
	Get(...string) (rtm.Value, bool)
	Table() uint32
}, hdr byte, attr string) {
	t.Helper()
	if !has(v, "table") && v.Table() != uint32(hdr) {
		t.Fatalf("Table %d without %s, header table %d", v.Table(), attr, hdr)
	}
	if v.Table() > 255 {
		cov.hit("table above 255")
	}
}

func fatalIf(t *testing.T, bad bool, format string, args ...any) {
	t.Helper()
	if bad {
		t.Fatalf(format, args...)
	}
}

func FuzzRtmLink(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Link]{
		view: "Link", msgType: unix.RTM_NEWLINK, decode: rtm.LinkFromBytes,
		schemaNames: []string{"ifname", "mtu", "linkinfo", "stats64", "af_spec"},
		features: []string{"kind data", "port data", "stats64", "IPv6 af_spec", "link netns id or parent",
			"macsec data", "can data"},
		check: func(t *testing.T, cov *coverage, b []byte, l rtm.Link) {
			fatalIf(t, l.Family() != b[0] || l.Type() != native.Uint16(b[2:]) || l.Index() != int32(native.Uint32(b[4:])) ||
				l.Flags() != native.Uint32(b[8:]) || l.Change() != native.Uint32(b[12:]), "ifinfomsg misread")
			fatalIf(t, l.IsUp() != (l.Flags()&unix.IFF_UP != 0), "IsUp disagrees with Flags")
			if v, ok := l.Get("ifname"); ok {
				if s, ok := v.Text(); ok && (!l.NameIs(s) || l.Name() != s) {
					t.Fatalf("ifname %q, Name %q, NameIs false", s, l.Name())
				}
			}
			for _, af := range []uint16{unix.AF_INET, unix.AF_INET6, unix.AF_BRIDGE} {
				for range l.AFSpec(af).All() {
				}
			}
			if l.KindData().Len() > 0 && l.Kind() != "" {
				cov.hit("kind data")
			}
			// The typed kind decoders read any data without panicking.
			if m, err := rtm.LinkMACsec(l.KindData()); err == nil && m.Cipher != 0 {
				cov.hit("macsec data")
			}
			if c, err := rtm.LinkCAN(l.KindData()); err == nil && c.Settings.BitTiming.Bitrate != 0 {
				cov.hit("can data")
			}
			if l.PortData().Len() > 0 && l.PortKind() != "" {
				cov.hit("port data")
			}
			if s, ok := l.Stats64(); ok && s.RxPackets+s.TxPackets > 0 {
				cov.hit("stats64")
			}
			if l.AFSpec(unix.AF_INET6).Len() > 0 {
				cov.hit("IPv6 af_spec")
			}
			if _, ok := l.LinkNetnsID(); ok || l.ParentIndex() != 0 {
				cov.hit("link netns id or parent")
			}
		},
	})
}

func FuzzRtmAddr(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Addr]{
		view: "Addr", msgType: unix.RTM_NEWADDR, decode: rtm.AddrFromBytes,
		schemaNames: []string{"address", "local", "label", "cacheinfo"},
		features:    []string{"IPv4", "IPv6", "label", "finite lifetime"},
		check: func(t *testing.T, cov *coverage, b []byte, a rtm.Addr) {
			fatalIf(t, a.Family() != b[0] || a.PrefixLen() != int(b[1]) || a.Scope() != b[3] ||
				a.Index() != int32(native.Uint32(b[4:])), "ifaddrmsg misread")
			if !has(a, "flags") && a.Flags() != uint32(b[2]) {
				t.Fatalf("Flags %#x without IFA_FLAGS, ifa_flags %#x", a.Flags(), b[2])
			}
			if p := a.Prefix(); p.IsValid() && (p.Addr() != a.IP() || p.Bits() != a.PrefixLen()) {
				t.Fatalf("Prefix %v, IP %v/%d", p, a.IP(), a.PrefixLen())
			}
			cov.addrFamily(a.Family(), a.IP())
			if a.Label() != "" {
				cov.hit("label")
			}
			if ci, ok := a.CacheInfo(); ok && ci != (rtm.AddrCacheInfo{}) && has(a, "cacheinfo") {
				if v, ok := a.Get("cacheinfo", "ifa_valid"); ok {
					if n, _ := v.Uint(); n != uint64(^uint32(0)) {
						cov.hit("finite lifetime")
					}
				}
			}
		},
	})
}

func FuzzRtmRoute(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Route]{
		view: "Route", msgType: unix.RTM_NEWROUTE, decode: rtm.RouteFromBytes,
		schemaNames: []string{"dst", "gateway", "multipath", "metrics", "table", "encap"},
		features:    []string{"multipath", "table above 255", "IPv4", "IPv6", "gateway", "cacheinfo"},
		check: func(t *testing.T, cov *coverage, b []byte, r rtm.Route) {
			fatalIf(t, r.Family() != b[0] || r.DstLen() != int(b[1]) || r.SrcLen() != int(b[2]) || r.TOS() != b[3] ||
				r.Protocol() != b[5] || r.Scope() != b[6] || r.Type() != b[7] || r.Flags() != native.Uint32(b[8:]), "rtmsg misread")
			checkTable(t, cov, r, b[4], "RTA_TABLE")
			mp, _ := r.Get("multipath")
			hops := 0
			for nh := range r.NextHops() {
				hops++
				fatalIf(t, nh.Weight < 1 || nh.Weight > 256, "next hop weight %d", nh.Weight)
				for range nh.Encap.All() {
				}
			}
			if hops > len(mp.Bytes())/unix.SizeofRtNexthop {
				t.Fatalf("%d next hops in %d bytes of RTA_MULTIPATH", hops, len(mp.Bytes()))
			}
			if typ, encap := r.Encap(); typ == unix.LWTUNNEL_ENCAP_SEG6 {
				_, _, _ = rtm.DecodeSeg6Encap(encap)
			}
			if d := r.Dst(); d.IsValid() && d.Bits() != r.DstLen() {
				t.Fatalf("Dst %v, DstLen %d", d, r.DstLen())
			}
			if hops > 1 {
				cov.hit("multipath")
			}
			cov.addrFamily(r.Family(), r.Dst().Addr())
			if r.Gateway().IsValid() {
				cov.hit("gateway")
			}
			if len(r.CacheInfo()) > 0 {
				cov.hit("cacheinfo")
			}
		},
	})
}

func FuzzRtmNeigh(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Neigh]{
		view: "Neigh", msgType: unix.RTM_NEWNEIGH, decode: rtm.NeighFromBytes,
		schemaNames: []string{"dst", "lladdr", "cacheinfo", "vlan", "master"},
		features:    []string{"IPv4", "IPv6", "bridge FDB", "lladdr", "cacheinfo"},
		check: func(t *testing.T, cov *coverage, b []byte, n rtm.Neigh) {
			fatalIf(t, n.Family() != b[0] || n.Index() != int32(native.Uint32(b[4:])) ||
				uint16(n.State()) != native.Uint16(b[8:]) || n.Flags() != b[10] || n.Type() != b[11], "ndmsg misread")
			fatalIf(t, n.State().String() == "", "empty state name")
			cov.addrFamily(n.Family(), n.Dst())
			if n.Family() == unix.AF_BRIDGE {
				cov.hit("bridge FDB")
			}
			if len(n.LLAddr()) > 0 {
				cov.hit("lladdr")
			}
			if _, ok := n.CacheInfo(); ok {
				cov.hit("cacheinfo")
			}
		},
	})
}

func FuzzRtmRule(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Rule]{
		view: "Rule", msgType: unix.RTM_NEWRULE, decode: rtm.RuleFromBytes,
		schemaNames: []string{"src", "dst", "priority", "fwmark", "table", "uid_range"},
		features:    []string{"IPv4", "IPv6", "source prefix", "table above 255"},
		check: func(t *testing.T, cov *coverage, b []byte, r rtm.Rule) {
			fatalIf(t, r.Family() != b[0] || r.DstLen() != int(b[1]) || r.SrcLen() != int(b[2]) || r.TOS() != b[3] ||
				r.Action() != b[7] || r.Flags() != native.Uint32(b[8:]), "fib_rule_hdr misread")
			checkTable(t, cov, r, b[4], "FRA_TABLE")
			cov.family(r.Family(), unix.AF_INET, unix.AF_INET6)
			if p := r.Src(); p.IsValid() && p.Bits() > 0 {
				cov.hit("source prefix")
			}
		},
	})
}

func FuzzRtmNexthop(f *testing.F) {
	fuzzView(f, viewTarget[rtm.Nexthop]{
		view: "Nexthop", msgType: unix.RTM_NEWNEXTHOP, decode: rtm.NexthopFromBytes,
		schemaNames: []string{"id", "group", "oif", "gateway", "blackhole", "res_group"},
		features:    []string{"group", "resilient group", "blackhole", "FDB", "IPv4 gateway", "IPv6 gateway"},
		check: func(t *testing.T, cov *coverage, b []byte, n rtm.Nexthop) {
			fatalIf(t, n.Family() != b[0] || n.Scope() != b[1] || n.Protocol() != b[2] ||
				n.Flags() != native.Uint32(b[4:]), "nhmsg misread")
			g, isGroup := n.Get("group")
			fatalIf(t, n.IsGroup() != isGroup, "IsGroup %v, group attribute %v", n.IsGroup(), isGroup)
			members := 0
			for m := range n.Group() {
				members++
				fatalIf(t, m.Weight < 1 || m.Weight > 1<<16, "member weight %d", m.Weight)
			}
			if members > len(g.Bytes())/8 {
				t.Fatalf("%d group members in %d bytes", members, len(g.Bytes()))
			}
			if members > 0 {
				cov.hit("group")
			}
			if r, ok := n.Resilience(); ok && r.Buckets > 0 && n.GroupType() == 1 {
				cov.hit("resilient group")
			}
			if n.Blackhole() {
				cov.hit("blackhole")
			}
			if n.FDB() {
				cov.hit("FDB")
			}
			if gw := n.Gateway(); gw.Is4() {
				cov.hit("IPv4 gateway")
			} else if gw.Is6() {
				cov.hit("IPv6 gateway")
			}
		},
	})
}

func FuzzRtmNexthopBucket(f *testing.F) {
	fuzzView(f, viewTarget[rtm.NexthopBucket]{
		view: "NexthopBucket", msgType: unix.RTM_NEWNEXTHOPBUCKET, decode: rtm.NexthopBucketFromBytes,
		schemaNames: []string{"id", "res_bucket"},
		features:    []string{"bucket", "idle time", "flags"},
		check: func(t *testing.T, cov *coverage, b []byte, nb rtm.NexthopBucket) {
			fatalIf(t, nb.Flags() != native.Uint32(b[4:]), "nhmsg misread")
			_, hasBucket := nb.Get("res_bucket")
			fatalIf(t, !hasBucket && (nb.Index() != 0 || nb.NexthopID() != 0 || nb.IdleTime() != 0),
				"bucket fields without NHA_RES_BUCKET")
			fatalIf(t, nb.IdleTime() < 0, "idle time %v", nb.IdleTime())
			if nb.NexthopID() != 0 {
				cov.hit("bucket")
			}
			if nb.IdleTime() > 0 {
				cov.hit("idle time")
			}
			if nb.Flags() != 0 {
				cov.hit("flags")
			}
		},
	})
}

func FuzzRtmNeighTable(f *testing.F) {
	fuzzView(f, viewTarget[rtm.NeighTable]{
		view: "NeighTable", msgType: unix.RTM_NEWNEIGHTBL, decode: rtm.NeighTableFromBytes,
		schemaNames: []string{"name", "config", "parms", "stats", "gc_interval"},
		features:    []string{"config", "stats", "table parameters", "interface parameters"},
		check: func(t *testing.T, cov *coverage, b []byte, nt rtm.NeighTable) {
			fatalIf(t, nt.Family() != b[0], "ndtmsg misread")
			if v, ok := nt.Get("name"); ok {
				if s, ok := v.Text(); ok && (!nt.NameIs(s) || nt.Name() != s) {
					t.Fatalf("name %q, Name %q, NameIs false", s, nt.Name())
				}
			}
			if _, ok := nt.Config(); ok {
				cov.hit("config")
			}
			if _, ok := nt.Stats(); ok {
				cov.hit("stats")
			}
			if p, ok := nt.Params(); ok {
				if p.Index == 0 {
					cov.hit("table parameters")
				} else {
					cov.hit("interface parameters")
				}
			}
		},
	})
}

// FuzzRtmEncap decodes arbitrary lightweight-tunnel encapsulations: never
// a panic, and a decoded value that validates sends attributes that decode
// to the same value again.
func FuzzRtmEncap(f *testing.F) {
	seeds := []rtm.Encap{
		rtm.EncapMPLS{Labels: []uint32{100, 200}, TTL: 10},
		rtm.EncapIP{ID: 42, Dst: netip.MustParseAddr("198.51.100.7"), TTL: 64, Flags: rtm.TunnelKey},
		rtm.EncapIP6{ID: 7, Dst: netip.MustParseAddr("2001:db8::9"), HopLimit: 9},
		rtm.EncapILA{Locator: 1, CsumModeSet: true},
		rtm.EncapBPF{In: rtm.BPFProg{FD: 3, Name: "in"}, Headroom: 14},
		rtm.EncapSeg6{Mode: rtm.Seg6Inline, Segments: []netip.Addr{netip.MustParseAddr("fc00::1")}, HMACKeyID: 7},
		rtm.EncapSeg6Local{Action: rtm.Seg6LocalEndB6, Segments: []netip.Addr{netip.MustParseAddr("fc00::1")}, Counters: true, Flavors: rtm.Seg6FlavorNextCSID, LocatorBlockBits: 32},
		rtm.EncapRPL{Segments: []netip.Addr{netip.MustParseAddr("fc00::1"), netip.MustParseAddr("fc00::2")}},
		rtm.EncapIOAM6{Mode: rtm.IOAM6Encap, TunnelDst: netip.MustParseAddr("fc00::9"), TraceType: 0x800000, Namespace: 1, TraceSize: 12},
		rtm.EncapXFRM{IfID: 7, Link: 2},
	}
	for _, e := range seeds {
		typ, attrs, err := encapBytes(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(typ, []byte(attrs))
	}
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		e, err := rtm.ParseEncap(typ, nla.Chain(data))
		if err != nil {
			return
		}
		// What decodes and validates is sent; what is sent decodes to
		// a value (defaults filled in, counts dropped) whose encoding
		// is the same bytes again: a fixed point after one round.
		typ1, b1, err := encapBytes(e)
		if err != nil {
			return
		}
		e2, err := rtm.ParseEncap(typ1, b1)
		if err != nil {
			t.Fatalf("%#v: its encoding does not decode: %v", e, err)
		}
		typ2, b2, err := encapBytes(e2)
		if err != nil {
			t.Fatalf("%#v: decoded from ipr's own encoding, refused: %v", e2, err)
		}
		if typ2 != typ1 || !bytes.Equal(b1, b2) {
			t.Fatalf("encoding is not stable:\n%#v\n% x\n% x", e2, b1, b2)
		}
		if e3, err := rtm.ParseEncap(typ2, b2); err != nil || !reflect.DeepEqual(e3, e2) {
			t.Fatalf("round trip:\n%#v\n%#v (%v)", e2, e3, err)
		}
	})
}

// encapBytes encodes e as a route's encapsulation and returns its type and
// attributes.
func encapBytes(e rtm.Encap) (uint16, nla.Chain, error) {
	dst := netip.MustParsePrefix("2001:db8::/64")
	r := rtnl.Req{B: &wire.Builder{}}
	if err := rtm.RouteAdd(rtm.RouteSpec{Dst: dst, OutIndex: 1, Tunnel: e}).AppendTo(&r); err != nil {
		return 0, nil, err
	}
	m, _, ok, err := wire.Next(r.B.Bytes())
	if err != nil || !ok {
		return 0, nil, fmt.Errorf("request does not parse: %v", err)
	}
	c := nla.Chain(m.Data[unix.SizeofRtMsg:])
	ta, _ := c.Get(unix.RTA_ENCAP_TYPE)
	typ, _ := ta.Uint16()
	a, _ := c.Get(unix.RTA_ENCAP)
	return typ, a.Nested(), nil
}
