package fuzz

import (
	"iter"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// ethtoolSeeds returns the payloads (genlmsghdr and attributes) of the
// ethtool replies recorded in genl/ethtool's veth conversation: features,
// string sets, channels, link modes and state, statistics.
func ethtoolSeeds(t testing.TB) [][]byte {
	// Not nlctrl's replies, nor errors and dump ends.
	seeds := convReplies(t, func(typ uint16) bool { return typ >= unix.GENL_MIN_ID && typ != unix.GENL_ID_CTRL },
		filepath.Join("..", "genl", "ethtool", "testdata", "conv", "veth.nlconv"))
	if len(seeds) < 10 {
		t.Fatalf("%d ethtool replies in the conversation", len(seeds))
	}
	return seeds
}

// checkBitset parses v into b and, when it parses, checks its shape and
// that its compact encoding parses back to the same bits.
func checkBitset(t *testing.T, b *ethtool.Bitset, v ethtool.BitsetView, names []string) bool {
	if b.Parse(v, names) != nil {
		return false
	}
	n := (b.Size + 31) / 32
	if len(b.Value) != n || b.Mask != nil && len(b.Mask) != n || len(b.Names) > b.Size {
		t.Fatalf("bitset of %d bits: %d value, %d mask words, %d names", b.Size, len(b.Value), len(b.Mask), len(b.Names))
	}
	e := nla.NewEncoder(nil)
	b.Encode(ethtool.BitsetEncoder{E: e})
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	var back ethtool.Bitset
	if err := back.Parse(ethtool.BitsetView{Attrs: nla.Chain(e.Bytes())}, nil); err != nil {
		t.Fatalf("the compact encoding of a parsed bitset: %v", err)
	}
	for i := range b.Size + 40 {
		if back.Test(i) != b.Test(i) || back.Masked(i) != b.Masked(i) {
			t.Fatalf("bit %d of %d changed in a round trip", i, b.Size)
		}
	}
	return true
}

// FuzzEthtoolReply decodes arbitrary bytes as the payload of an ethtool
// reply with the generated views and the hand-written decoders. Nothing
// may panic, and
//
//   - every bitset that parses has the words of its size, and its
//     compact encoding parses back to the same bits;
//   - a FeatureSet that parses has the size of its active bitset and
//     yields named features only;
//   - a string set that parses is no longer than its count.
//
// Run without -fuzz, it fails unless its seeds (the recorded replies)
// produced a parsed feature set and string set.
func FuzzEthtoolReply(f *testing.F) {
	for _, s := range ethtoolSeeds(f) {
		f.Add(s)
	}
	var features, strsets atomic.Bool
	wantSeeds(f, "parsed as features and as a string set", &features, &strsets)
	names := []string{"a", "b", "", "d"}
	f.Fuzz(func(t *testing.T, payload []byte) { checkEthtoolReply(t, payload, names, &features, &strsets) })
}

func checkEthtoolReply(t *testing.T, payload []byte, names []string, features, strsets *atomic.Bool) {
	{
		m, err := genl.Decode(wire.Message{Header: unix.NlMsghdr{Type: unix.GENL_MIN_ID}, Data: payload}, 0)
		if err != nil {
			return
		}
		// Whatever the command says: every view over the attributes.
		var fs ethtool.FeatureSet
		m.Command = ethtool.EthtoolMsgFeaturesGet // the reply's number
		if fs.Parse(m, names) == nil {
			features.Store(true)
			if fs.Len() != fs.Active.Size {
				t.Fatalf("%d features, %d active bits", fs.Len(), fs.Active.Size)
			}
			for ft := range fs.All() {
				if ft.Name == "" {
					t.Fatal("an unnamed feature")
				}
			}
			_ = fs.Clone()
		}
		v := ethtool.FeaturesView{Attrs: m.Attrs}
		var b ethtool.Bitset
		for _, get := range []func() (ethtool.BitsetView, bool){v.HW, v.Wanted, v.Active, v.Nochange} {
			if bv, ok := get(); ok {
				checkBitset(t, &b, bv, names)
			}
		}
		sv := ethtool.StrsetView{Attrs: m.Attrs}
		if sets, ok := sv.Stringsets(); ok {
			for set := range sets.Stringset() {
				count, _ := set.Count()
				n := 0
				for strs := range set.Strings() {
					for s := range strs.StringAttr() {
						s.Index()
						s.Value()
						n++
					}
				}
				if n > 0 && count > 0 {
					strsets.Store(true)
				}
			}
		}
		lm := ethtool.LinkmodesView{Attrs: m.Attrs}
		for _, get := range []func() (ethtool.BitsetView, bool){lm.Ours, lm.Peer} {
			if bv, ok := get(); ok {
				checkBitset(t, &b, bv, nil)
			}
		}
		lm.Speed()
		lm.Duplex()
		ch := ethtool.ChannelsView{Attrs: m.Attrs}
		ch.RXMax()
		ch.CombinedCount()
		st := ethtool.StatsView{Attrs: m.Attrs}
		for a := range st.Attrs.AllOf(ethtool.EthtoolAStatsGrp) {
			g := ethtool.StatsGrpView{Attrs: a.Nested()}
			g.ID()
			for c := range g.Stat() {
				for s := range c.All() {
					s.Uint64()
				}
			}
			if h, ok := g.HistRX(); ok {
				h.HistVal()
			}
		}
		fec := ethtool.FecStatView{Attrs: m.Attrs}
		n := len(slices.Collect(fec.Corrected()))
		if a, ok := m.Attrs.Get(ethtool.EthtoolAFecStatCorrected); ok && n != len(a.Data)/8 {
			t.Fatalf("%d corrected counters in %d bytes", n, len(a.Data))
		}
		if h, ok := v.Header(); ok {
			h.DevName()
			h.DevIndex()
		}
		// One operation's set by name, through the generated schemas,
		// checked as the rtm views are (checkAttrs: Get finds what All
		// yields; every Value decodes, JSON included). Which set is the
		// payload's second byte's choice (the genlmsghdr's version,
		// which nothing else reads), so that an execution stays cheap
		// and the fuzzer still reaches every set; the whole-tree decoders
		// (JSON) run on payloads under 1 KiB only, which take the same
		// paths, for the fuzzer minimizes big inputs by running them
		// thousands of times.
		views := []byName{
			ethtool.StrsetView{Attrs: m.Attrs},
			ethtool.PrivflagsView{Attrs: m.Attrs},
			ethtool.RingsView{Attrs: m.Attrs},
			ethtool.MmView{Attrs: m.Attrs},
			ethtool.LinkinfoView{Attrs: m.Attrs},
			ethtool.LinkmodesView{Attrs: m.Attrs},
			ethtool.LinkstateView{Attrs: m.Attrs},
			ethtool.DebugView{Attrs: m.Attrs},
			ethtool.WolView{Attrs: m.Attrs},
			ethtool.FeaturesView{Attrs: m.Attrs},
			ethtool.ChannelsView{Attrs: m.Attrs},
			ethtool.CoalesceView{Attrs: m.Attrs},
			ethtool.PauseView{Attrs: m.Attrs},
			ethtool.EeeView{Attrs: m.Attrs},
			ethtool.TsinfoView{Attrs: m.Attrs},
			ethtool.CableTestNtfView{Attrs: m.Attrs},
			ethtool.CableTestTdrNtfView{Attrs: m.Attrs},
			ethtool.TunnelInfoView{Attrs: m.Attrs},
			ethtool.FecView{Attrs: m.Attrs},
			ethtool.ModuleEepromView{Attrs: m.Attrs},
			ethtool.StatsView{Attrs: m.Attrs},
			ethtool.PhcVclocksView{Attrs: m.Attrs},
			ethtool.ModuleView{Attrs: m.Attrs},
			ethtool.PseView{Attrs: m.Attrs},
			ethtool.RssView{Attrs: m.Attrs},
			ethtool.PlcaView{Attrs: m.Attrs},
			ethtool.ModuleFwFlashView{Attrs: m.Attrs},
			ethtool.PhyView{Attrs: m.Attrs},
		}
		bn := views[int(payload[1])%len(views)]
		checkAttrs(t, bn.All(), bn.Get, len(payload) < 1024)
	}
}

// byName is a generated view's access by name.
type byName interface {
	All() iter.Seq2[string, ethtool.Value]
	Get(path ...string) (ethtool.Value, bool)
}
