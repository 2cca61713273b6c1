package fuzz

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ila"
)

// ilaRead is everything an ila.Mapping's readers say.
type ilaRead struct {
	match, loc         uint64
	hasMatch, hasLoc   bool
	ifindex            int32
	hasIfindex         bool
	csum               ila.CsumMode
	hasCsum            bool
	ident              ila.IdentType
	hasIdent           bool
	matchText, locText string
}

func readIla(p ila.Mapping) ilaRead {
	var r ilaRead
	r.match, r.hasMatch = p.LocatorMatch()
	r.loc, r.hasLoc = p.Locator()
	r.ifindex, r.hasIfindex = p.Ifindex()
	r.csum, r.hasCsum = p.CsumMode()
	r.ident, r.hasIdent = p.IdentType()
	r.matchText, r.locText = string(ila.AppendLocator(nil, r.match)), string(ila.AppendLocator(nil, r.loc))
	_ = r.csum.String() + r.ident.String()
	return r
}

// ilaSpec is the spec that adds the mapping r reads.
func ilaSpec(r ilaRead) ila.Spec {
	s := ila.Spec{Ifindex: r.ifindex}
	if r.hasMatch {
		s.LocatorMatch = &r.match
	}
	if r.hasLoc {
		s.Locator = &r.loc
	}
	if r.hasCsum {
		s.CsumMode = &r.csum
	}
	if r.hasIdent {
		s.IdentType = &r.ident
	}
	return s
}

// FuzzIlaMapping decodes arbitrary bytes as a generic netlink payload
// and as an ILA mapping (ILA_CMD_GET reply). Nothing may panic, and
//
//   - a Clone reads as the view does; a locator's text parses back;
//   - the spec a mapping reads as, when ila.Add takes it, makes a request
//     whose attributes read back the same: decode(encode(decode(x))) ==
//     decode(x) (a device index of 0 is "any", left out).
//
// Run without -fuzz, it fails unless its seeds (genl/ila's dump replies
// and requests of ila.Add) parsed as complete mappings and made the round
// trip.
func FuzzIlaMapping(f *testing.F) {
	for _, s := range hexFile(f, filepath.Join("..", "genl", "ila", "testdata", "list.replies")) {
		f.Add(s)
	}
	match, loc, csum, ident := uint64(0x20010db800030004), uint64(0x20010db800010002), ila.CsumNeutralMapAuto, ila.IdentType(1)
	for _, s := range []ila.Spec{
		{LocatorMatch: &match, Locator: &loc},
		{LocatorMatch: &match, Locator: &loc, Ifindex: 3, CsumMode: &csum, IdentType: &ident},
	} {
		r, err := ila.Add(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(genlPayload(r))
	}
	var full, round atomic.Bool
	wantSeeds(f, "parsed as an ila.Mapping with every field", &full)
	wantSeeds(f, "made the ila spec round trip", &round)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := genl.Decode(wireMsg(data), 0)
		if err != nil {
			return
		}
		p, err := ila.ParseMapping(m)
		if err != nil {
			return
		}
		r := readIla(p)
		if c := readIla(p.Clone()); c != r {
			t.Fatalf("Clone reads %+v, the view %+v", c, r)
		}
		_ = p.Chain()
		for _, txt := range []string{r.matchText, r.locText} {
			if v, err := ila.ParseLocator(txt); err != nil || string(ila.AppendLocator(nil, v)) != txt {
				t.Fatalf("locator %q parses as %#x, %v", txt, v, err)
			}
		}
		if r.hasMatch && r.hasLoc && r.hasIfindex && r.hasCsum && r.hasIdent {
			full.Store(true)
		}
		s := ilaSpec(r)
		req, err := ila.Add(s)
		if err != nil {
			return
		}
		p2, err := ila.ParseMapping(genl.Message{Command: ila.CmdGet, Attrs: reqAttrs(req)})
		if err != nil {
			t.Fatalf("the request of %+v does not parse: %v", s, err)
		}
		want := r
		if want.ifindex == 0 {
			want.hasIfindex = false
		}
		if got := readIla(p2); got != want {
			t.Fatalf("round trip: %+v reads back as %+v", want, got)
		}
		round.Store(true)
	})
}
