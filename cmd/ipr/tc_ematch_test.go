package main

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// parseEmatchWords parses words after "match" and returns the tree and
// the words left.
func parseEmatchWords(t *testing.T, words ...string) ([]byte, []string, error) {
	t.Helper()
	a := &tcArgs{args: args{list: words}}
	tree, err := a.parseEmatch()
	return tree, a.list[a.i:], err
}

// TestEmatchParseLeavesTheNextWord checks that the words after the
// expression are left as tc leaves them: from the word the parser looked
// ahead into, or the last word when the expression ends the line (which
// tc then reads again, and refuses).
func TestEmatchParseLeavesTheNextWord(t *testing.T) {
	for _, c := range []struct {
		words []string
		left  string
	}{
		{[]string{"cmp(u8 at 0 eq 1)", "classid", "1:1"}, "classid 1:1"},
		{[]string{"cmp(u8", "at", "0", "eq", "1)", "and", "u32(u8", "1", "1", "at", "0)", "action", "drop"}, "action drop"},
		{[]string{"cmp(u8 at 0 eq 1)"}, "cmp(u8 at 0 eq 1)"},
		{[]string{"cmp(u8 at 0 eq 1)classid", "1:1"}, "cmp(u8 at 0 eq 1)classid 1:1"},
		{[]string{"(", "cmp(u8 at 0 eq 1)", ")", "flowid", "1:2"}, "flowid 1:2"},
	} {
		_, left, err := parseEmatchWords(t, c.words...)
		if err != nil || strings.Join(left, " ") != c.left {
			t.Errorf("%q: left %q, %v; want %q", c.words, left, err, c.left)
		}
	}
}

// TestEmatchParseRefuses checks the expressions and arguments tc refuses.
func TestEmatchParseRefuses(t *testing.T) {
	for _, words := range [][]string{
		{"cmp(u8 at 0 eq 1)", "and", "classid", "1:1"},
		{"cmp()"}, {"cmp(u8 at 0"}, {"(cmp(u8 at 0 eq 1)"}, {"not"}, {"and"},
		{"cmp(u64 at 0 eq 1)"}, {"cmp(u8 at 0)"}, {"cmp(u8 eq 1)"}, {"cmp(u8 at x eq 1)"}, {"cmp(u8 at 0 layer 3 eq 1)"},
		{"cmp(u8 at 0 eq 1 and)"}, {"u32(u8 0x100 0xff at 0)"}, {"u32(u16 1 1 at 2 x)"}, {"u32(u32 1 1 at 2)"},
		{"u32(u32 1 1)"}, {"meta(nosuch eq 1)"}, {"meta(nf_mark eq)"}, {"meta(nf_mark)"}, {"meta(nf_mark is 1)"},
		{"meta(nf_mark eq 1 2)"}, {"meta(list)"}, {"meta(\"x\" eq nf_mark)"}, {"nbyte(abc)"}, {"nbyte(\"\" at 1)"},
		{"nbyte(abc at 1 foo)"}, {"canid(sff)"}, {"canid(xff 1)"}, {"canid(sff zz)"},
		{"ipset(foo src)"}, {"ipt(-m foo)"}, {"text(foo)"}, {"nbyte(\"abc at 1)"}, {"nbyte(\"\\8\" at 1)"},
	} {
		if _, _, err := parseEmatchWords(t, words...); err == nil {
			t.Errorf("%q: no error", words)
		}
	}
	if _, _, err := parseEmatchWords(t, "ipset(foo src)"); err == nil || !strings.Contains(err.Error(), "not implemented") {
		t.Errorf("ipset: %v, want it refused by name", err)
	}
}

// TestEmatchParseMeta checks meta's operand types: a variable attribute
// compared with a string, an integer one with another identifier.
func TestEmatchParseMeta(t *testing.T) {
	tree, _, err := parseEmatchWords(t, `meta(dev eq "eth0")`, "or", "meta(sk_bind_if eq dev)", "x")
	if err != nil {
		t.Fatal(err)
	}
	terms, err := tc.DecodeEmatches(tree)
	if err != nil {
		t.Fatal(err)
	}
	m0, m1 := terms[0].Match.(*tc.EmatchMeta), terms[1].Match.(*tc.EmatchMeta)
	if m0.Left.ID != 5 || m0.Left.Var || !m0.Right.Var || string(m0.Right.Bytes) != "eth0" {
		t.Errorf("meta(dev eq \"eth0\"): %+v", m0)
	}
	if m1.Left.ID != 19 || m1.Right.ID != 5 || m1.Left.Var || m1.Right.Var {
		t.Errorf("meta(sk_bind_if eq dev): %+v", m1)
	}
}

// TestEmatchFormat checks the text of print_ematch, worked out from tc
// 6.1's m_ematch.c and em_*.c for the captured trees (no kernel here
// has cls_basic to show them with tc).
func TestEmatchFormat(t *testing.T) {
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"not (cmp(u8 at 1 eq 2) and (u32(u8 0x5 0xf at 3) or meta(random lt 5))) OR u32(u32 0x1 0x1 at 8)", "x"},
			"\n  NOT (\n    cmp(u8 at 1 layer 1 eq 2)\n    AND (\n      u32(00000005/0000000f at 0)\n      OR meta(random lt 5)\n    )   ) OR u32(00000001/00000001 at 8)\n"},
		{[]string{"cmp(u16 at 0 layer 2 mask 0xff00 trans gt 10)", "and", "nbyte(\"a\\x01\" at 2 layer link)", "x"},
			"\n  cmp(u16 at 0 layer 2 mask 0xff00 trans gt 10)\n  AND nbyte(61 01 \"a.\" at 2 layer 0)\n"},
		{[]string{"meta(tc_index mask 0xf0 eq 0xf0)", "or", "meta(dev shift 1 eq \"ppp\")", "and", "canid(sff 0x123 eff 0x10:0xff)", "x"},
			"\n  meta(tc_index mask 0x000000f0 eq 240)\n  OR meta(dev shift 1 eq ppp)\n  AND canid(sff 0x123 eff 0x10:0xFF)\n"},
		{[]string{"u32(u16 0x1122 0xffff at nexthdr+4)", "x"}, "\n  u32(11220000/ffff0000 at nexthdr+4)\n"},
	} {
		tree, _, err := parseEmatchWords(t, c.words...)
		if err != nil {
			t.Fatalf("%q: %v", c.words, err)
		}
		got, ok := formatEmatches(tree)
		if !ok || got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.words, got, c.want)
		}
	}
	for _, b := range [][]byte{nil, {4, 0, 1, 0}, {8, 0, 1, 0, 9, 0, 0, 0, 4, 0, 2, 0}} {
		if _, ok := formatEmatches(b); ok {
			t.Errorf("%x formats", b)
		}
	}
}

// TestTCPrintersSurviveGarbage feeds random and truncated bytes to the
// printers of ematches, pedit, tunnel_key options, cake and sfq: they
// must not panic (tc crashes or reads past its buffers on some).
func TestTCPrintersSurviveGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := &env{Details: true, Stats: statsOptions{level: 1}}
	for i := 0; i < 3000; i++ {
		b := make([]byte, rng.IntN(200))
		for j := range b {
			b[j] = byte(rng.IntN(256))
			if rng.IntN(4) == 0 {
				b[j] = byte(rng.IntN(8)) // small lengths and types
			}
		}
		for _, js := range []bool{false, true} {
			p := &printer{json: js}
			formatEmatches(b)
			printEmatches(p, b)
			printPedit(p, e, nla.Chain(b), true)
			printTunnelKeyOpts(p, nla.Chain(b))
			printGeneveOpts(p, b)
			printErspanOpts(p, nla.Chain(b))
			msg := append(make([]byte, 20), rawnl.Attr(1, []byte("cake\x00"))...)
			if q, err := tc.QdiscFromBytes(append(msg, rawnl.Attr(2, b)...)); err == nil {
				printCake(p, e, q)
			}
			msg = append(make([]byte, 20), rawnl.Attr(1, []byte("sfq\x00"))...)
			if q, err := tc.QdiscFromBytes(append(msg, rawnl.Attr(2, b)...)); err == nil {
				printSFQ(p, e, q)
			}
		}
	}
}
