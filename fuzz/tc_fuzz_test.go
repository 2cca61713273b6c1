package fuzz

import (
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/ipr-go/ipr/wire"
)

// tcSeeds returns tcmsg payloads: the kernel's replies to qdisc and class
// dumps, and the requests tc sends for every kind (rtm/tc's fixtures).
func tcSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for field := range fixtureLines(t,
		filepath.Join("..", "rtm", "tc", "testdata", "replies.hex"),
		filepath.Join("..", "rtm", "tc", "testdata", "requests.tsv")) {
		if fs := strings.Split(field, "\t"); len(fs) >= 4 {
			field = fs[3]
		}
		if d, err := hex.DecodeString(field); err == nil && len(d) > 0 {
			seeds = append(seeds, d)
		}
	}
	return seeds
}

// qdiscKinds and classKinds are the kinds whose options rtm/tc decodes.
var (
	qdiscKinds = []string{"pfifo", "bfifo", "pfifo_head_drop", "ingress", "clsact", "htb", "tbf", "fq_codel",
		"prio", "pfifo_fast", "sfq", "netem", "mq", "codel", "pie", "fq_pie", "fq", "red", "choke", "hfsc",
		"cake", "ets", "mqprio", "multiq", "plug", "drr", "qfq", "unknown"}
	classKinds = []string{"htb", "drr", "qfq", "ets", "hfsc", "unknown"}
)

// exercise calls every reader of a tc object, and re-encodes its decoded
// options: nothing may panic.
func exercise(o tc.Object) {
	_ = o.Kind()
	_ = o.Handle().String()
	_ = o.Parent().String()
	o.Ifindex()
	o.Info()
	o.BlockIndex()
	o.ChainIndex()
	o.HWOffload()
	o.IngressBlock()
	o.EgressBlock()
	o.XStats()
	o.Stats()
	o.ExtWarning()
	o.IsKind("htb")
}

func reencode(opts tc.Options) {
	var b wire.Builder
	b.Begin(0x24, 0)
	_ = opts.AppendOptions(&rtnl.Req{B: &b})
}

// fuzzDecode is the shell of a target over one decoder: it adds seeds,
// and passes each input that decode accepts to check (an input decode
// rejects is no bug; a panic, or check failing t, is).
func fuzzDecode[V any](f *testing.F, seeds [][]byte, decode func([]byte) (V, error), check func(t *testing.T, v V)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if v, err := decode(data); err == nil {
			check(t, v)
		}
	})
}

func FuzzTcQdisc(f *testing.F) {
	fuzzDecode(f, tcSeeds(f), tc.QdiscFromBytes, func(t *testing.T, q tc.Qdisc) {
		exercise(q.Object)
		if o, err := tc.QdiscOptionsOf(q); err == nil {
			reencode(o)
		}
		_ = q.Clone().Kind()
	})
}

func FuzzTcClass(f *testing.F) {
	fuzzDecode(f, tcSeeds(f), tc.ClassFromBytes, func(t *testing.T, c tc.Class) {
		exercise(c.Object)
		c.Leaf()
		if o, err := tc.ClassOptionsOf(c); err == nil {
			reencode(o)
		}
	})
}

func FuzzTcStats(f *testing.F) {
	for _, s := range tcSeeds(f) {
		if q, err := tc.QdiscFromBytes(s); err == nil {
			if a, ok := q.Attrs().Get(7); ok {
				f.Add(a.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { tc.DecodeStats(data) })
}

// FuzzTcKindOptions feeds each kind's options decoder (the first byte
// picks the kind, qdiscs' then classes') with the rest of the input as
// the payload of TCA_OPTIONS.
func FuzzTcKindOptions(f *testing.F) {
	for _, s := range tcSeeds(f) {
		q, err := tc.QdiscFromBytes(s)
		if err != nil || q.Options() == nil {
			continue
		}
		for i, k := range append(append([]string{}, qdiscKinds...), classKinds...) {
			if q.IsKind(k) {
				f.Add(append([]byte{byte(i)}, q.Options()...))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		i, opts := int(data[0]), data[1:]
		var b wire.Builder
		b.Begin(0x24, 0)
		b.Fixed(tc.SizeofTcmsg)
		kinds := qdiscKinds
		class := i >= len(qdiscKinds)
		if class {
			i -= len(qdiscKinds)
			kinds = classKinds
		}
		if i >= len(kinds) {
			return
		}
		b.String(1, kinds[i])
		b.Binary(2, opts)
		b.End()
		m, _, ok, err := wire.Next(b.Bytes())
		if err != nil || !ok {
			return
		}
		if class {
			c, _ := tc.ClassFromBytes(m.Data)
			if o, err := tc.ClassOptionsOf(c); err == nil {
				reencode(o)
			}
			return
		}
		q, _ := tc.QdiscFromBytes(m.Data)
		if o, err := tc.QdiscOptionsOf(q); err == nil {
			reencode(o)
		}
	})
}
