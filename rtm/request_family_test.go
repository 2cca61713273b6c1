package rtm

import (
	"bytes"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// requestFamily is one change both as a Batch method and as a request
// value, with a spec that encodes and one that fails validation.
type requestFamily struct {
	name      string
	method    func(bt *Batch) error // the valid spec, through the method
	value     Request               // the valid spec, as a value
	badMethod func(bt *Batch) error // the invalid spec, through the method
	badValue  Request               // the invalid spec, as a value
	named     string                // the value's name when sent alone
}

func requestFamilies() []requestFamily {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	addr := AddrSpec{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.1/24")}
	badAddr := AddrSpec{Index: 2}
	neigh := NeighSpec{Index: 2, Dst: netip.MustParseAddr("192.0.2.9"), LLAddr: mac, State: unix.NUD_PERMANENT}
	badNeigh := NeighSpec{Index: 2}
	fdb := FDBSpec{Index: 2, LLAddr: mac}
	badFDB := FDBSpec{Index: 2}
	rule := RuleSpec{Family: unix.AF_INET, Priority: Some[uint32](100), Table: 100}
	badRule := RuleSpec{Family: 99}
	nh := NexthopSpec{ID: 7, Family: unix.AF_INET, OutIndex: 2}
	badNH := NexthopSpec{ID: 7, OutIndex: 2, Blackhole: true}
	link := LinkSpec{Name: "d0", Kind: &Bridge{}}
	badLink := LinkSpec{Name: "d0"} // no kind to create
	return []requestFamily{
		{"AddrAdd", func(bt *Batch) error { return bt.AddrAdd(addr) }, AddrAdd(addr),
			func(bt *Batch) error { return bt.AddrAdd(badAddr) }, AddrAdd(badAddr), "address add 192.0.2.1/24"},
		{"AddrReplace", func(bt *Batch) error { return bt.AddrReplace(addr) }, AddrReplace(addr),
			func(bt *Batch) error { return bt.AddrReplace(badAddr) }, AddrReplace(badAddr), "address replace 192.0.2.1/24"},
		{"AddrChange", func(bt *Batch) error { return bt.AddrChange(addr) }, AddrChange(addr),
			func(bt *Batch) error { return bt.AddrChange(badAddr) }, AddrChange(badAddr), "address change 192.0.2.1/24"},
		{"AddrDel", func(bt *Batch) error { return bt.AddrDel(addr) }, AddrDel(addr),
			func(bt *Batch) error { return bt.AddrDel(badAddr) }, AddrDel(badAddr), "address del 192.0.2.1/24"},
		{"NeighAdd", func(bt *Batch) error { return bt.NeighAdd(neigh) }, NeighAdd(neigh),
			func(bt *Batch) error { return bt.NeighAdd(badNeigh) }, NeighAdd(badNeigh), "neighbour add 192.0.2.9"},
		{"NeighReplace", func(bt *Batch) error { return bt.NeighReplace(neigh) }, NeighReplace(neigh),
			func(bt *Batch) error { return bt.NeighReplace(badNeigh) }, NeighReplace(badNeigh), "neighbour replace 192.0.2.9"},
		{"NeighDel", func(bt *Batch) error { return bt.NeighDel(neigh) }, NeighDel(neigh),
			func(bt *Batch) error { return bt.NeighDel(badNeigh) }, NeighDel(badNeigh), "neighbour del 192.0.2.9"},
		{"FDBAdd", func(bt *Batch) error { return bt.FDBAdd(fdb) }, FDBAdd(fdb),
			func(bt *Batch) error { return bt.FDBAdd(badFDB) }, FDBAdd(badFDB), "fdb add 02:00:00:00:00:01"},
		{"FDBAppend", func(bt *Batch) error { return bt.FDBAppend(fdb) }, FDBAppend(fdb),
			func(bt *Batch) error { return bt.FDBAppend(badFDB) }, FDBAppend(badFDB), "fdb append 02:00:00:00:00:01"},
		{"FDBReplace", func(bt *Batch) error { return bt.FDBReplace(fdb) }, FDBReplace(fdb),
			func(bt *Batch) error { return bt.FDBReplace(badFDB) }, FDBReplace(badFDB), "fdb replace 02:00:00:00:00:01"},
		{"FDBDel", func(bt *Batch) error { return bt.FDBDel(fdb) }, FDBDel(fdb),
			func(bt *Batch) error { return bt.FDBDel(badFDB) }, FDBDel(badFDB), "fdb del 02:00:00:00:00:01"},
		{"RuleAdd", func(bt *Batch) error { return bt.RuleAdd(rule) }, RuleAdd(rule),
			func(bt *Batch) error { return bt.RuleAdd(badRule) }, RuleAdd(badRule), "rule add priority 100"},
		{"RuleDel", func(bt *Batch) error { return bt.RuleDel(rule) }, RuleDel(rule),
			func(bt *Batch) error { return bt.RuleDel(badRule) }, RuleDel(badRule), "rule del priority 100"},
		{"NexthopAdd", func(bt *Batch) error { return bt.NexthopAdd(nh) }, NexthopAdd(nh),
			func(bt *Batch) error { return bt.NexthopAdd(badNH) }, NexthopAdd(badNH), "nexthop add id 7"},
		{"NexthopReplace", func(bt *Batch) error { return bt.NexthopReplace(nh) }, NexthopReplace(nh),
			func(bt *Batch) error { return bt.NexthopReplace(badNH) }, NexthopReplace(badNH), "nexthop replace id 7"},
		{"NexthopDel", func(bt *Batch) error { return bt.NexthopDel(7) }, NexthopDel(7),
			func(bt *Batch) error { return bt.NexthopDel(0) }, NexthopDel(0), "nexthop del id 7"},
		{"LinkAdd", func(bt *Batch) error { return bt.LinkAdd(link) }, LinkAdd(link),
			func(bt *Batch) error { return bt.LinkAdd(badLink) }, LinkAdd(badLink), "link add d0"},
		{"LinkReplace", func(bt *Batch) error { return bt.LinkReplace(link) }, LinkReplace(link),
			func(bt *Batch) error { return bt.LinkReplace(badLink) }, LinkReplace(badLink), "link replace d0"},
		{"LinkSet", func(bt *Batch) error { return bt.LinkSet(LinkSpec{Index: 3, MTU: 1400}) }, LinkSet(LinkSpec{Index: 3, MTU: 1400}),
			func(bt *Batch) error { return bt.LinkSet(LinkSpec{}) }, LinkSet(LinkSpec{}), "link set index 3"},
		{"LinkDel", func(bt *Batch) error { return bt.LinkDel(3) }, LinkDel(3),
			func(bt *Batch) error { return bt.LinkDel(0) }, LinkDel(0), "link del index 3"},
		{"LinkDelByName", func(bt *Batch) error { return bt.LinkDelByName("d0") }, LinkDelByName("d0"),
			func(bt *Batch) error { return bt.LinkDelByName("") }, LinkDelByName(""), "link del d0"},
	}
}

// TestRequestFamilies checks every change family's request values
// against its Batch methods: the same bytes, the same validation errors
// (nothing queued), the full name when sent alone, and no allocation per
// request in a batch.
func TestRequestFamilies(t *testing.T) {
	for _, f := range requestFamilies() {
		t.Run(f.name, func(t *testing.T) {
			var viaMethod, viaValue Batch
			if err := f.method(&viaMethod); err != nil {
				t.Fatalf("method: %v", err)
			}
			if err := viaValue.Add(f.value); err != nil {
				t.Fatalf("Add: %v", err)
			}
			if !bytes.Equal(viaMethod.b.Bytes(), viaValue.b.Bytes()) || viaMethod.ops[0] != viaValue.ops[0] {
				t.Errorf("method and value differ:\n%x %q\n%x %q", viaMethod.b.Bytes(), viaMethod.ops, viaValue.b.Bytes(), viaValue.ops)
			}
			// Sent alone, the request names its object.
			r := rtnl.Req{B: &wire.Builder{}, Named: true}
			if err := f.value.AppendTo(&r); err != nil || r.Op != f.named {
				t.Errorf("alone: named %q (%v), want %q", r.Op, err, f.named)
			}
			// An invalid spec fails the same way through both, and
			// leaves the batch as it was.
			em, ev := f.badMethod(&viaMethod), viaValue.Add(f.badValue)
			if em == nil || ev == nil || em.Error() != ev.Error() {
				t.Errorf("invalid spec: method %v, Add %v", em, ev)
			}
			if viaMethod.Len() != 1 || viaValue.Len() != 1 || !bytes.Equal(viaMethod.b.Bytes(), viaValue.b.Bytes()) {
				t.Errorf("an invalid spec was queued: %d and %d requests", viaMethod.Len(), viaValue.Len())
			}
			// The batch methods cost no allocation once the batch has
			// room; a link request one, its encoder's context, which
			// reaches the kinds' encoders through an interface (before
			// request values they cost two or three).
			want := 0.0
			if strings.HasPrefix(f.name, "Link") {
				want = 1
			}
			var bt Batch
			allocs := testing.AllocsPerRun(100, func() {
				bt.b.Reset(bt.b.Bytes())
				bt.ops, bt.lazy = bt.ops[:0], bt.lazy[:0]
				if err := f.method(&bt); err != nil {
					t.Fatal(err)
				}
			})
			if allocs > want {
				t.Errorf("%s costs %v allocations per request in a batch", f.name, allocs)
			}
		})
	}
}

// TestRequestAltNames checks the alternative-name requests' validation
// and names.
func TestRequestAltNames(t *testing.T) {
	r := rtnl.Req{B: &wire.Builder{}, Named: true}
	if err := LinkAltNameAdd(3, "uplink").AppendTo(&r); err != nil || r.Op != "link altname add index 3" || r.Missing != unix.ENODEV {
		t.Errorf("altname add: %q %v %v", r.Op, r.Missing, err)
	}
	var bt Batch
	if err := bt.Add(LinkAltNameDel(3)); err == nil || !strings.Contains(err.Error(), "link altname del: no alternative names") {
		t.Errorf("altname del with no names: %v", err)
	}
	if err := bt.Add(NeighTableSet(NeighTableSpec{})); err == nil || bt.Len() != 0 {
		t.Errorf("neighbour table change with no table: %v, %d queued", err, bt.Len())
	}
}

// TestAddrChangeFlags checks that "address change" is "address replace"
// without NLM_F_CREATE, as iproute2 sends it.
func TestAddrChangeFlags(t *testing.T) {
	s := AddrSpec{Index: 2, Prefix: netip.MustParsePrefix("192.0.2.1/24")}
	encode := func(req Request) []byte {
		r := rtnl.Req{B: &wire.Builder{}}
		if err := req.AppendTo(&r); err != nil {
			t.Fatal(err)
		}
		return r.B.Bytes()
	}
	change, replace := encode(AddrChange(s)), encode(AddrReplace(s))
	if flags := wire.DecodeHeader(change).Flags; flags&unix.NLM_F_CREATE != 0 || flags&unix.NLM_F_REPLACE == 0 {
		t.Errorf("address change flags %#x, want NLM_F_REPLACE without NLM_F_CREATE", flags)
	}
	native.PutUint16(change[6:], native.Uint16(change[6:])|unix.NLM_F_CREATE)
	if !bytes.Equal(change, replace) {
		t.Errorf("address change with NLM_F_CREATE is not address replace:\n%x\n%x", change, replace)
	}
}

// TestRuleMulticastFamily checks the rules of "ip mrule": the family is
// sent as it is, and prefixes are of the family it routes.
func TestRuleMulticastFamily(t *testing.T) {
	for _, c := range []struct {
		s  RuleSpec
		ok bool
	}{
		{RuleSpec{Family: RTNLFamilyIPMR, IIFName: "lo", Table: 5}, true},
		{RuleSpec{Family: RTNLFamilyIP6MR, Priority: Some[uint32](7)}, true},
		{RuleSpec{Family: RTNLFamilyIPMR, Src: netip.MustParsePrefix("10.0.0.0/8")}, true},
		{RuleSpec{Family: RTNLFamilyIP6MR, Src: netip.MustParsePrefix("10.0.0.0/8")}, false},
		{RuleSpec{Family: 130}, false},
	} {
		r := rtnl.Req{B: &wire.Builder{}}
		err := RuleAdd(c.s).AppendTo(&r)
		if (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.s, err)
			continue
		}
		if err == nil && r.B.Bytes()[wire.HeaderLen] != c.s.Family {
			t.Errorf("%+v: family %d sent", c.s, r.B.Bytes()[wire.HeaderLen])
		}
	}
}
