package tc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// tcmoreGoldenSpecs are the filters with ematches of
// testdata/iproute2 (basic's and cgroup's), their trees built with
// EncodeEmatches, and the filters with estimators.
func tcmoreGoldenSpecs(t *testing.T, links map[string]int32) map[string]rtm.Request {
	p0 := links["p0"]
	basic := func(prio uint16, proto uint16, classid Handle, terms ...EmatchTerm) rtm.Request {
		tree, err := EncodeEmatches(terms)
		if err != nil {
			t.Fatal(err)
		}
		return FilterAdd(FilterSpec{Ifindex: p0, Parent: gRoot1, Priority: prio, Protocol: proto,
			Options: &Basic{ClassID: classid, Ematches: tree}})
	}
	m := func(rel EmatchRelation, not bool, mt EmatchMatch) EmatchTerm {
		return EmatchTerm{Relation: rel, Not: not, Match: mt}
	}
	g := func(rel EmatchRelation, not bool, terms ...EmatchTerm) EmatchTerm {
		return EmatchTerm{Relation: rel, Not: not, Group: terms}
	}
	ip := uint16(unix.ETH_P_IP)
	tcIndex := &EmatchMeta{Left: EmatchMetaValue{ID: 13, Int: 0xf0}, Right: EmatchMetaValue{Int: 0xf0}}
	sk := EmatchTerm{Match: &EmatchMeta{Left: EmatchMetaValue{ID: 16}, Right: EmatchMetaValue{Int: 2}}}
	cgTree, err := EncodeEmatches([]EmatchTerm{sk})
	if err != nil {
		t.Fatal(err)
	}
	dst1234 := func(s *U32Sel) error { return s.MatchPrefix(pfx("1.2.3.4/32"), 16, false) }
	return map[string]rtm.Request{
		"cgroup/ematch": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 2, Handle: 1,
			Options: &Cgroup{Ematches: cgTree, Actions: drop()}}),
		"u32/estimator": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress, Priority: 11, Protocol: ip,
			Options: &U32{Sel: sel(t, dst1234), Actions: drop()}, Estimator: &Estimator{Interval: 0, EWMALog: 3}}),
		"matchall/estimator": FilterAdd(FilterSpec{Ifindex: p0, Parent: gIngress,
			Options: &Matchall{Actions: drop()}, Estimator: &Estimator{Interval: -2, EWMALog: 2}}),
		"basic/ematch-meta": basic(3, ip, 0x10003,
			m(EmatchOr, false, &EmatchMeta{Left: EmatchMetaValue{ID: 12}, Op: EmatchGt, Right: EmatchMetaValue{Int: 24}}),
			m(EmatchEnd, false, &EmatchMeta{Left: EmatchMetaValue{ID: 5, Shift: 1}, Right: EmatchMetaValue{Var: true, Bytes: []byte("ppp")}})),
		"basic/ematch-meta-mask": basic(3, ip, 0x10003,
			m(EmatchAnd, false, tcIndex),
			m(EmatchEnd, false, &EmatchMeta{Left: EmatchMetaValue{ID: 6}, Op: EmatchLt, Right: EmatchMetaValue{ID: 9}})),
		"basic/ematch-nbyte": basic(4, ip, 0x10004,
			m(EmatchAnd, false, &EmatchNbyte{Needle: []byte("abc"), Offset: 12, Layer: 1}),
			m(EmatchEnd, false, &EmatchNbyte{Needle: []byte("xyzzy"), Layer: 2})),
		"basic/ematch-canid": basic(5, unix.ETH_P_ALL, 0x10005,
			m(EmatchEnd, false, &EmatchCanID{Rules: []CanFilter{{0x123, 0x800007ff}, {0x124, 0x800007f0},
				{0x80001234, 0x9fffffff}, {0x80000010, 0x800000ff}}})),
		"basic/ematch-groups": basic(6, ip, 0x10006,
			m(EmatchOr, false, &EmatchCmp{Align: 1, Layer: 1, Value: 1}),
			g(EmatchAnd, false,
				m(EmatchAnd, false, &EmatchU32{Value: 0x11220000, Mask: 0xffff0000, Offset: 4, NextHdr: true}),
				m(EmatchEnd, true, tcIndex)),
			g(EmatchEnd, true,
				m(EmatchOr, false, &EmatchCmp{Align: 4, Offset: 4, Layer: 2, Mask: 0xff, Trans: true, Op: EmatchLt, Value: 7}),
				m(EmatchEnd, false, &EmatchNbyte{Needle: []byte("aA\n"), Offset: 2, Layer: 1}))),
		"basic/ematch-nested": basic(7, ip, 0x10007,
			g(EmatchOr, true,
				m(EmatchAnd, false, &EmatchCmp{Align: 1, Offset: 1, Layer: 1, Value: 2}),
				g(EmatchEnd, false,
					m(EmatchOr, false, &EmatchU32{Value: 5, Mask: 0xf}),
					m(EmatchEnd, false, &EmatchMeta{Left: EmatchMetaValue{ID: 1}, Op: EmatchLt, Right: EmatchMetaValue{Int: 5}}))),
			m(EmatchEnd, false, &EmatchU32{Value: 1, Mask: 1, Offset: 8})),
	}
}

// TestEmatchesDecodeTC decodes every ematch tree tc sent and encodes it
// again to the same bytes.
func TestEmatchesDecodeTC(t *testing.T) {
	if !isLittleEndian() {
		t.Skip("the golden captures are little-endian")
	}
	n := 0
	for _, c := range readTCGolden(t) {
		if !strings.Contains(c.Cmd, " match ") || !strings.Contains(c.Cmd, " basic ") && !strings.Contains(c.Cmd, " cgroup ") {
			continue
		}
		s, err := decodeFilterBody(c.Req[16:])
		if err != nil {
			t.Fatal(err)
		}
		var tree []byte
		switch o := s.Options.(type) {
		case *Basic:
			tree = o.Ematches
		case *Cgroup:
			tree = o.Ematches
		}
		terms, err := DecodeEmatches(tree)
		if err != nil {
			t.Fatalf("%s: %v", c.Key(), err)
		}
		got, err := EncodeEmatches(terms)
		if err != nil {
			t.Fatalf("%s: %v", c.Key(), err)
		}
		if !bytes.Equal(got, tree) {
			t.Errorf("%s: re-encoded\n%x\ntc\n%x", c.Key(), got, tree)
		}
		n++
	}
	if n < 8 {
		t.Errorf("only %d ematch captures", n)
	}
}

// TestEmatchesRefuseBadInput checks what EncodeEmatches refuses, and
// that DecodeEmatches survives malformed trees.
func TestEmatchesRefuseBadInput(t *testing.T) {
	for name, terms := range map[string][]EmatchTerm{
		"none":        nil,
		"empty group": {{}},
		"bad align":   {{Match: &EmatchCmp{Align: 3}}},
		"bad layer":   {{Match: &EmatchCmp{Align: 1, Layer: 3}}},
		"u32 offset":  {{Match: &EmatchU32{Offset: 3}}},
		"no needle":   {{Match: &EmatchNbyte{}}},
		"no rules":    {{Match: &EmatchCanID{}}},
		"relation":    {{Relation: 3, Match: &EmatchCmp{Align: 1}}},
		"container":   {{Match: &EmatchRaw{}}},
		"meta id":     {{Match: &EmatchMeta{Left: EmatchMetaValue{ID: 0x1000}}}},
	} {
		if _, err := EncodeEmatches(terms); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	good, err := EncodeEmatches([]EmatchTerm{{Relation: EmatchAnd, Group: []EmatchTerm{{Match: &EmatchCmp{Align: 2}}}}, {Match: &EmatchNbyte{Needle: []byte("x")}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(good) {
		for _, b := range [][]byte{good[:i], append(bytes.Clone(good[:i]), 0xff, 0xff, 0xff, 0xff)} {
			DecodeEmatches(b)
		}
		c := bytes.Clone(good)
		c[i] ^= 0xff
		DecodeEmatches(c)
	}
	// A container pointing back at itself is refused, not followed.
	e := nla.NewEncoder(nil)
	e.Binary(emTreeHdr, []byte{1, 0, 1, 0})
	n := rtnl.BeginPlain(e, emTreeList)
	e.Binary(1, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	n.End(e)
	if _, err := DecodeEmatches(e.Bytes()); err == nil {
		t.Error("a container referring to itself decodes")
	}
}
