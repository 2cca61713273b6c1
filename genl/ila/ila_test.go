package ila_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ila"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

func loc(v uint64) *uint64                 { return &v }
func csum(m ila.CsumMode) *ila.CsumMode    { return &m }
func ident(t ila.IdentType) *ila.IdentType { return &t }

// TestIproute2Requests checks the package's requests, byte for byte,
// against those ip sends for the same mappings (testdata/iproute2.txt).
func TestIproute2Requests(t *testing.T) {
	_, rec := genltest.Iproute2Requests(t, "testdata/iproute2.txt")
	l1234, l5678 := loc(0x0001000200030004), loc(0x0005000600070008)
	cases := []struct {
		args   string
		delete bool
		spec   ila.Spec
	}{
		{"ila add loc_match 2001:db8:1:2 loc 2001:db8:3:4", false,
			ila.Spec{LocatorMatch: loc(0x20010db800010002), Locator: loc(0x20010db800030004)}},
		{"ila add loc_match 0:0:0:1 loc ffff:ffff:ffff:ffff dev lo csum-mode neutral-map ident-type luid", false,
			ila.Spec{LocatorMatch: loc(1), Locator: loc(^uint64(0)), Ifindex: 1, CsumMode: csum(ila.CsumNeutralMap), IdentType: ident(ila.IdentLUID)}},
		{"ila a loc_m 1:2:3:4 l 5:6:7:8 c adj-transport i use-format", false,
			ila.Spec{LocatorMatch: l1234, Locator: l5678, CsumMode: csum(ila.CsumAdjustTransport), IdentType: ident(ila.IdentUseFormat)}},
		{"ila add loc 10:20:30:40 loc_match 0x1:0X2:3:4 csum-mode no-action dev lo", false,
			ila.Spec{LocatorMatch: l1234, Locator: loc(0x0010002000300040), Ifindex: 1, CsumMode: csum(ila.CsumNoAction)}},
		{"ila add loc_match 1:2:3:4 loc 5:6:7:8 csum-mode neutral-map-auto", false,
			ila.Spec{LocatorMatch: l1234, Locator: l5678, CsumMode: csum(ila.CsumNeutralMapAuto)}},
		{"ila del loc_match 2001:db8:1:2", true, ila.Spec{LocatorMatch: loc(0x20010db800010002)}},
		{"ila delete loc_match 1:2:3:4 loc 5:6:7:8 dev lo", true, ila.Spec{LocatorMatch: l1234, Locator: l5678, Ifindex: 1}},
		{"ila d loc 1:2:3:4", true, ila.Spec{Locator: l1234}},
	}
	for _, c := range cases {
		build := ila.Add
		if c.delete {
			build = ila.Delete
		}
		h, got := genltest.FakeFamily(t, ila.FamilyName)
		if req, err := build(c.spec); err != nil {
			t.Errorf("%s: %v", c.args, err)
		} else if err := ila.Do(context.Background(), h, req); err != nil {
			t.Errorf("%s: %v", c.args, err)
		}
		genltest.SameRequest(t, c.args, rec, *got)
	}
	h, got := genltest.FakeFamily(t, ila.FamilyName)
	if err := genltest.FirstErr(ila.Mappings(context.Background(), h)); err != nil {
		t.Fatal(err)
	}
	genltest.SameRequest(t, "ila list", rec, *got)
}

// listReplies are the dump replies of testdata/list.replies, as the
// kernel's ila_fill_info writes them (locator, locator to match, device,
// checksum mode, identifier type, each u64 after a pad attribute when it
// needs one), and some it does not write: attributes left out, unknown
// modes and types.
func listReplies() [][]byte {
	type mapping struct {
		loc, match   uint64
		ifindex      int32
		csum, ident  uint8
		noIf, noMode bool
		noIdent      bool
		noLoc        bool
	}
	var out [][]byte
	for _, m := range []mapping{
		{loc: 0x20010db800030004, match: 0x20010db800010002, csum: 2, ident: 32},
		{loc: ^uint64(0), match: 1, ifindex: 1, csum: 1, ident: 1},
		{loc: 0x0010002000300040, match: 0x0001000200030004, ifindex: 77, csum: 3, ident: 5},
		{loc: 0, match: 0, csum: 9, ident: 7},
		{match: 0xabcd, noLoc: true, noIf: true, noMode: true, noIdent: true},
	} {
		var e nla.Encoder
		copy(e.Reserve(unix.GENL_HDRLEN), []byte{ila.CmdGet, ila.FamilyVersion})
		if !m.noLoc {
			e.Flag(ila.AttrPad)
			e.Uint64BE(ila.AttrLocator, m.loc)
		}
		e.Flag(ila.AttrPad)
		e.Uint64BE(ila.AttrLocatorMatch, m.match)
		if !m.noIf {
			e.Int32(ila.AttrIfindex, m.ifindex)
		}
		if !m.noMode {
			e.Uint8(ila.AttrCsumMode, m.csum)
		}
		if !m.noIdent {
			e.Uint8(ila.AttrIdentType, m.ident)
		}
		out = append(out, e.Bytes())
	}
	return out
}

// describe is what the views read of m.
func describe(m ila.Mapping) string {
	l, lok := m.Locator()
	lm, _ := m.LocatorMatch()
	i, iok := m.Ifindex()
	c, cok := m.CsumMode()
	it, tok := m.IdentType()
	return fmt.Sprintf("%s %v %s %d %v %s %v %s %v", ila.AppendLocator(nil, lm), lok, ila.AppendLocator(nil, l),
		i, iok, c, cok, it, tok)
}

// TestShowReplies checks testdata/list.replies, the replies whose
// listing by ip is recorded in testdata/list*.golden, against
// listReplies (IPR_WRITE_REPLIES=1 writes it, as scripts/ila_golden.sh
// does), and reads them with the views.
func TestShowReplies(t *testing.T) {
	replies := listReplies()
	genltest.ReplyFile(t, "testdata/list.replies", "ila dump replies", replies)
	h, _ := genltest.FakeFamily(t, ila.FamilyName, replies...)
	var got []string
	var err error
	ila.Mappings(context.Background(), h)(func(m ila.Mapping, e error) bool {
		if err = e; e == nil {
			got = append(got, describe(m))
		}
		return e == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One line a reply: locator to match, locator, device, checksum mode
	// and identifier type, each with whether the reply has it.
	want := strings.Split(`2001:db8:1:2 true 2001:db8:3:4 0 true no-action true use-format true
0:0:0:1 true ffff:ffff:ffff:ffff 1 true neutral-map true luid true
1:2:3:4 true 10:20:30:40 77 true neutral-map-auto true nonlocal-addr true
0:0:0:0 true 0:0:0:0 0 true unknown true unknown true
0:0:0:abcd false 0:0:0:0 0 false adj-transport false iid false`, "\n")
	genltest.SameLines(t, "views", got, want)
}

// TestLocators reads and writes locators as ip does.
func TestLocators(t *testing.T) {
	for s, want := range map[string]uint64{
		"2001:db8:1:2": 0x20010db800010002, "0:0:0:0": 0, "ffff:FFFF:0x1:0X00ff": 0xffffffff000100ff, "00001:2:3:4": 0x0001000200030004,
	} {
		if v, err := ila.ParseLocator(s); err != nil || v != want {
			t.Errorf("ParseLocator(%q) = %#x, %v; want %#x", s, v, err, want)
		}
	}
	for _, s := range []string{"", "1:2:3", "1:2:3:4:5", "1:2:3:", ":1:2:3", "10000:0:0:0", "g:0:0:0", "1::2:3", "0x:1:2:3",
		"-1:2:3:4", "+1:2:3:4", "1:2:3:4 "} {
		if _, err := ila.ParseLocator(s); !errors.Is(err, ila.ErrInvalid) {
			t.Errorf("ParseLocator(%q): %v", s, err)
		}
	}
	if got := string(ila.AppendLocator([]byte("x "), 0x20010db800000001)); got != "x 2001:db8:0:1" {
		t.Errorf("AppendLocator: %q", got)
	}
	if ila.CsumMode(4).String() != "unknown" || ila.IdentType(6).String() != "unknown" {
		t.Error("unknown modes and types have names")
	}
	if m, ok := ila.ParseCsumMode("neutral-map-auto"); !ok || m != ila.CsumNeutralMapAuto {
		t.Errorf("ParseCsumMode: %v %v", m, ok)
	}
	if _, ok := ila.ParseCsumMode("Neutral-map"); ok {
		t.Error("ParseCsumMode ignores case")
	}
}

// TestBadInput checks that specs the kernel would refuse fail before
// anything is sent, and that a kernel without the family is a typed
// error.
func TestBadInput(t *testing.T) {
	for i, s := range []ila.Spec{
		{},
		{LocatorMatch: loc(1)},
		{Locator: loc(1)},
		{LocatorMatch: loc(1), Locator: loc(2), Ifindex: -1},
		{LocatorMatch: loc(1), Locator: loc(2), CsumMode: csum(4)},
		{LocatorMatch: loc(1), Locator: loc(2), IdentType: ident(6)},
	} {
		if _, err := ila.Add(s); !errors.Is(err, ila.ErrInvalid) {
			t.Errorf("case %d: Add(%+v): %v", i, s, err)
		}
	}
	if _, err := ila.Delete(ila.Spec{}); err != nil {
		t.Errorf("Delete without locators: %v", err)
	}
	h, _ := genltest.NoFamilies(t)
	ctx := context.Background()
	genltest.WantNotFound(t, "Mappings", ila.FamilyName, genltest.FirstErr(ila.Mappings(ctx, h)))
	genltest.WantNotFound(t, "Do", ila.FamilyName, ila.Do(ctx, h, ila.Flush()))
}

// TestKernel adds, lists and removes mappings in a throwaway namespace,
// on a kernel with the family.
func TestKernel(t *testing.T) {
	h := genltest.InNamespace(t, "genl:ila")
	ctx := context.Background()
	add, err := ila.Add(ila.Spec{LocatorMatch: loc(0x20010db800010002), Locator: loc(0x20010db800030004), Ifindex: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ila.Do(ctx, h, add); err != nil {
		t.Fatal(err)
	}
	n := 0
	for m, err := range ila.Mappings(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if l, _ := m.Locator(); l != 0x20010db800030004 {
			t.Errorf("locator %#x", l)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d mappings", n)
	}
	if err := ila.Do(ctx, h, add); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding it again: %v", err)
	}
	if err := ila.Do(ctx, h, ila.Flush()); err != nil {
		t.Fatal(err)
	}
}

// TestHostileReplies reads every reply cut short and with bytes
// flipped: the view refuses or reads it, and never panics.
func TestHostileReplies(t *testing.T) {
	for _, r := range listReplies() {
		for n := unix.GENL_HDRLEN; n <= len(r); n++ {
			for _, flip := range []int{-1, n / 2, n - 1} {
				b := append([]byte(nil), r[unix.GENL_HDRLEN:n]...)
				if i := flip - unix.GENL_HDRLEN; i >= 0 && i < len(b) {
					b[i] ^= 0xff
				}
				m, err := ila.ParseMapping(genl.Message{Attrs: nla.Chain(b)})
				if err == nil {
					_ = describe(m) + describe(m.Clone())
				}
			}
		}
	}
}
