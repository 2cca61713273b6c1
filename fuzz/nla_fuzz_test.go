package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/nla"
)

// FuzzNlaChain checks, on arbitrary bytes, that attribute decoding never
// panics or reads out of range, that the lazy Index agrees with a plain
// scan of the Chain, and that every well-formed attribute survives a round
// trip through the Encoder.
func FuzzNlaChain(f *testing.F) {
	var e nla.Encoder
	e.String(3, "eth0")
	e.Uint32(4, 1500)
	n := e.BeginNest(18)
	e.String(1, "veth")
	e.EndNest(n)
	f.Add(e.Bytes())
	f.Add([]byte{4, 0, 1, 0, 5, 0, 2, 0, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := nla.Chain(b)
		var x nla.Index
		x.Reset(c)
		if (c.Err() == nil) != (x.Err() == nil) || c.Len() != x.Len() {
			t.Fatalf("Chain and Index disagree: %v/%v, %d/%d", c.Err(), x.Err(), c.Len(), x.Len())
		}
		if err := c.Err(); err != nil && !errors.Is(err, nla.ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
		var re nla.Encoder
		for a := range c.All() {
			k := a.Kind()
			got, ok := x.Get(k)
			if !ok {
				t.Fatalf("Index lost type %d", k)
			}
			first, _ := c.Get(k)
			if got.Type != first.Type || !bytes.Equal(got.Data, first.Data) {
				t.Fatalf("Index.Get(%d) differs from Chain.Get", k)
			}
			// Accessors return errors, never panic.
			_, _ = a.Uint8()
			_, _ = a.Uint16()
			_, _ = a.Uint32()
			_, _ = a.Uint64()
			_, _ = a.Uint()
			_, _ = a.Uint32BE()
			_, _ = a.Text()
			_, _ = a.Addr()
			_, _ = a.HardwareAddr()
			for range a.Nested().All() {
			}
			_ = a.Nested().Err()
			re.Binary(a.Type, a.Data)
		}
		if err := re.Err(); err != nil {
			t.Fatalf("re-encoding decoded attributes: %v", err)
		}
		// Re-encoding the well-formed attributes yields a chain that
		// decodes to the same list; the original may differ only in
		// padding bytes and a malformed tail.
		var again []nla.Attr
		for a := range nla.Chain(re.Bytes()).All() {
			again = append(again, a)
		}
		i := 0
		for a := range c.All() {
			if i >= len(again) || again[i].Type != a.Type || !bytes.Equal(again[i].Data, a.Data) {
				t.Fatalf("round trip changed attribute %d", i)
			}
			i++
		}
		if i != len(again) || nla.Chain(re.Bytes()).Err() != nil {
			t.Fatalf("round trip: %d attributes became %d", i, len(again))
		}
	})
}
