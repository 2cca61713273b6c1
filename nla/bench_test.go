package nla

import "testing"

// linkLikeChain resembles the attributes of an RTM_NEWLINK message.
func linkLikeChain() Chain {
	var e Encoder
	e.String(3, "veth123456")
	for typ := uint16(4); typ < 60; typ++ {
		if typ == 18 {
			n := e.BeginNest(18)
			e.String(1, "veth")
			e.EndNest(n)
			continue
		}
		e.Uint32(typ, uint32(typ))
	}
	return Chain(e.Bytes())
}

func BenchmarkIndexFiveLookups(b *testing.B) {
	c := linkLikeChain()
	var x Index
	b.ReportAllocs()
	b.SetBytes(int64(len(c)))
	for i := 0; i < b.N; i++ {
		x.Reset(c)
		for _, t := range [...]uint16{3, 4, 13, 16, 50} {
			if _, ok := x.Get(t); !ok {
				b.Fatal("missing")
			}
		}
	}
}

func BenchmarkChainFiveLookups(b *testing.B) {
	c := linkLikeChain()
	b.ReportAllocs()
	b.SetBytes(int64(len(c)))
	for i := 0; i < b.N; i++ {
		for _, t := range [...]uint16{3, 4, 13, 16, 50} {
			if _, ok := c.Get(t); !ok {
				b.Fatal("missing")
			}
		}
	}
}

func BenchmarkChainAll(b *testing.B) {
	c := linkLikeChain()
	b.ReportAllocs()
	b.SetBytes(int64(len(c)))
	for i := 0; i < b.N; i++ {
		n := 0
		for range c.All() {
			n++
		}
		if n == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkEncoder(b *testing.B) {
	buf := make([]byte, 0, 512)
	var e Encoder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset(buf)
		e.String(3, "veth123456")
		e.Uint32(4, 1500)
		n := e.BeginNest(18)
		e.String(1, "veth")
		e.EndNest(n)
		if e.Err() != nil {
			b.Fatal(e.Err())
		}
	}
}

// routeLikeChain resembles the attributes of an RTM_NEWROUTE message.
func routeLikeChain() Chain {
	var e Encoder
	e.Uint32(15, 254)
	e.Binary(1, []byte{10, 1, 2, 0})
	e.Binary(5, []byte{192, 0, 2, 1})
	e.Uint32(4, 2)
	e.Uint32(6, 100)
	return Chain(e.Bytes())
}

func BenchmarkIndexRouteLookups(b *testing.B) {
	c := routeLikeChain()
	var x Index
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x.Reset(c)
		for _, t := range [...]uint16{1, 5, 4} {
			if _, ok := x.Get(t); !ok {
				b.Fatal("missing")
			}
		}
	}
}
