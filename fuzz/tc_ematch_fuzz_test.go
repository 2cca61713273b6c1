package fuzz

import (
	"bytes"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm/tc"
)

// tcCaptures returns the payloads (after nlmsghdr) of the requests tc
// sent in rtm/tc/testdata/iproute2 whose command line contains substr.
func tcCaptures(f *testing.F, substr string) [][]byte {
	files, _ := filepath.Glob("../rtm/tc/testdata/iproute2/*.txt")
	var out [][]byte
	cmd := ""
	for line := range fixtureLines(f, files...) {
		key, val, _ := strings.Cut(line, " ")
		switch key {
		case "cmd":
			cmd = val
		case "req":
			if b, err := hex.DecodeString(val); err == nil && len(b) > 16 && strings.Contains(cmd, substr) {
				out = append(out, b[16:])
			}
		}
	}
	return out
}

// FuzzTCEmatches decodes arbitrary bytes as an ematch tree; what decodes
// encodes to a fixed point. Seeds: the trees of tc's basic filters.
func FuzzTCEmatches(f *testing.F) {
	for _, msg := range tcCaptures(f, " match ") {
		opts, _ := nla.Chain(msg[20:]).Get(2)
		if em, ok := opts.Nested().Get(2); ok {
			f.Add(em.Data)
		}
	}
	f.Fuzz(func(t *testing.T, tree []byte) {
		terms, err := tc.DecodeEmatches(tree)
		if err != nil || len(terms) == 0 {
			return
		}
		first, err := tc.EncodeEmatches(terms)
		if err != nil {
			return
		}
		again, err := tc.DecodeEmatches(first)
		if err != nil {
			t.Fatalf("a tree this package encoded does not decode: %v", err)
		}
		second, err := tc.EncodeEmatches(again)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("encoding is not a fixed point (%v):\n%x\n%x", err, first, second)
		}
	})
}

// FuzzTCChain decodes arbitrary bytes as a chain message's payload, and
// its specification, which must encode to a fixed point. Seeds: the
// chain requests tc sends.
func FuzzTCChain(f *testing.F) {
	fuzzDecode(f, tcCaptures(f, "chain "), tc.ChainFromBytes, func(t *testing.T, c tc.Chain) {
		c.Index()
		c.Kind()
		c.Clone()
		s, err := c.Spec()
		if err != nil {
			return
		}
		specFixedPoint(t, "chain", s, tc.ChainAdd, tc.ChainFromBytes)
	})
}
