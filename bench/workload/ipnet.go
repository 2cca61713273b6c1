package workload

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/ipr-go/ipr/ipnet"
	"go4.org/netipx"
)

// Inputs are the ipnet workloads' inputs, generated from a fixed seed and
// written to files for the Python contestant.
type Inputs struct {
	V4, V6             []string // addresses
	Prefix4, Prefix6   []string // networks, host bits zero
	Contain            []string // addresses tested against Prefix4, pairwise
	Collapse           []string // IPv4 networks of 10.0.0.0/8, /16 to /32
	RangeLo, RangeHi   []string // IPv4 ranges to summarize
	ExcludeOuter, Excl []string // IPv4 networks and a subnet of each to exclude
}

// NewInputs generates n inputs of each kind (n/10 ranges and exclusions).
func NewInputs(n int) *Inputs {
	rng := rand.New(rand.NewPCG(1, 2))
	u32 := func() uint32 { return rng.Uint32() }
	mask := func(v uint32, bits int) uint32 {
		if bits == 0 {
			return 0
		}
		return v &^ (1<<(32-bits) - 1)
	}
	in := &Inputs{}
	for i := 0; i < n; i++ {
		in.V4 = append(in.V4, addr4(u32()).String())
		var b [16]byte
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if i%2 == 0 { // a zero run, so that half are compressed
			z := 2 + rng.IntN(10)
			clear(b[z : z+4])
		}
		in.V6 = append(in.V6, netip.AddrFrom16(b).String())
		bits := 8 + rng.IntN(25)
		v := mask(u32(), bits)
		in.Prefix4 = append(in.Prefix4, fmt.Sprintf("%v/%d", addr4(v), bits))
		host := u32()
		if i%2 == 0 { // inside
			host = v | host&^mask(^uint32(0), bits)
		}
		in.Contain = append(in.Contain, addr4(host).String())
		bits6 := 16 + rng.IntN(113)
		in.Prefix6 = append(in.Prefix6, netip.PrefixFrom(netip.AddrFrom16(b), bits6).Masked().String())
		cb := 16 + rng.IntN(17)
		in.Collapse = append(in.Collapse, fmt.Sprintf("%v/%d", addr4(mask(10<<24|u32()>>8, cb)), cb))
		if i%10 == 0 {
			lo := 10<<24 | u32()>>8
			hi := lo + u32()>>12
			in.RangeLo = append(in.RangeLo, addr4(lo).String())
			in.RangeHi = append(in.RangeHi, addr4(hi).String())
			ob := 8 + rng.IntN(9)
			outer := mask(u32(), ob)
			ib := ob + rng.IntN(33-ob)
			inner := mask(outer|u32()&^mask(^uint32(0), ob), ib)
			in.ExcludeOuter = append(in.ExcludeOuter, fmt.Sprintf("%v/%d", addr4(outer), ob))
			in.Excl = append(in.Excl, fmt.Sprintf("%v/%d", addr4(inner), ib))
		}
	}
	return in
}

// Write writes one file per input list into dir, one value a line.
func (in *Inputs) Write(dir string) error {
	for name, list := range map[string][]string{
		"v4": in.V4, "v6": in.V6, "prefix4": in.Prefix4, "prefix6": in.Prefix6,
		"contain": in.Contain, "collapse": in.Collapse, "range_lo": in.RangeLo,
		"range_hi": in.RangeHi, "exclude_outer": in.ExcludeOuter, "exclude_inner": in.Excl,
	} {
		f, err := os.Create(filepath.Join(dir, name+".txt"))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for _, s := range list {
			w.WriteString(s)
			w.WriteByte('\n')
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// The ipnet workloads' digests are what the Python contestant computes
// too: sums modulo 2^64 of the parsed values, and the SHA-256 of the
// output networks one a line.

func sumDigest(s uint64) string { return strconv.FormatUint(s, 10) }

func netsDigest[T fmt.Stringer](nets []T) string {
	h := sha256.New()
	for _, n := range nets {
		h.Write([]byte(n.String()))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// inputWorkloads are the workloads that need Env.Inputs.
var inputWorkloads = map[string]bool{}

// NeedsInputs reports whether a workload reads Env.Inputs; the others
// should not generate them, which would inflate the process's peak RSS.
func NeedsInputs(workload string) bool { return inputWorkloads[workload] }

func init() {
	type pair struct {
		workload, contestant string
		run                  func(in *Inputs) func() (Result, error)
	}
	for _, p := range []pair{
		{"parse-v4", "ipnet", parseSum(v4List, ipnet.ParseAddr4, addr4Val)},
		{"parse-v4", "netip", parseSum(v4List, netip.ParseAddr, lo64)},
		{"parse-v6", "ipnet", parseSum(v6List, ipnet.ParseAddr6, addr6Val)},
		{"parse-v6", "netip", parseSum(v6List, netip.ParseAddr, lo64)},
		{"parse-prefix4", "ipnet", parseSum(prefix4List, strictNet4, net4Val)},
		{"parse-prefix4", "netip", parseSum(prefix4List, netip.ParsePrefix, netipPrefixVal)},
		{"parse-prefix6", "ipnet", parseSum(prefix6List, strictNet6, net6Val)},
		{"parse-prefix6", "netip", parseSum(prefix6List, netip.ParsePrefix, netipPrefixVal)},
		{"contains", "ipnet", ipnetContains},
		{"contains", "netip", netipContains},
		{"collapse", "ipnet", ipnetCollapse},
		{"collapse", "netipx", netipxCollapse},
		{"summarize", "ipnet", ipnetSummarize},
		{"summarize", "netipx", netipxSummarize},
		{"exclude", "ipnet", ipnetExclude},
		{"exclude", "netipx", netipxExclude},
	} {
		run := p.run
		inputWorkloads[p.workload] = true
		register(p.workload, p.contestant, func(env *Env) (*Instance, error) {
			return single(p.workload, run(env.Inputs), noClose), nil
		})
	}
}

// parseSum is a parse workload over the strings list(in) returns: it
// parses each one and sums val of the values, as the Python contestant
// does. Every contestant pays the same two calls through function values
// per string.
func parseSum[T any](list func(*Inputs) []string, parse func(string) (T, error), val func(T) uint64) func(in *Inputs) func() (Result, error) {
	return func(in *Inputs) func() (Result, error) {
		ss := list(in)
		return func() (Result, error) {
			var sum uint64
			for _, s := range ss {
				v, err := parse(s)
				if err != nil {
					return Result{}, err
				}
				sum += val(v)
			}
			return Result{Count: len(ss), Digest: sumDigest(sum)}, nil
		}
	}
}

// lo64 returns the low 64 bits of an address as an integer.
func lo64(a netip.Addr) uint64 {
	if a.Is4() {
		b := a.As4()
		return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	}
	b := a.As16()
	var v uint64
	for _, x := range b[8:] {
		v = v<<8 | uint64(x)
	}
	return v
}

// The parse workloads' lists, parsers and values.

func v4List(in *Inputs) []string      { return in.V4 }
func v6List(in *Inputs) []string      { return in.V6 }
func prefix4List(in *Inputs) []string { return in.Prefix4 }
func prefix6List(in *Inputs) []string { return in.Prefix6 }

func strictNet4(s string) (ipnet.Net4, error) { return ipnet.ParseNet4(s, true) }
func strictNet6(s string) (ipnet.Net6, error) { return ipnet.ParseNet6(s, true) }

func addr4Val(a ipnet.Addr4) uint64 { return a.Uint128().Lo }
func addr6Val(a ipnet.Addr6) uint64 { return a.Uint128().Lo }
func net4Val(n ipnet.Net4) uint64   { return n.NetworkAddress().Uint128().Lo + uint64(n.PrefixLen()) }
func net6Val(n ipnet.Net6) uint64   { return n.NetworkAddress().Uint128().Lo + uint64(n.PrefixLen()) }

// netipPrefixVal is net4Val and net6Val for netip.ParsePrefix, which
// accepts host bits; it does not check what strict parsing checks.
func netipPrefixVal(p netip.Prefix) uint64 { return lo64(p.Addr()) + uint64(p.Bits()) }

// The contains workloads time Contains alone, on pre-parsed values.
func ipnetContains(in *Inputs) func() (Result, error) {
	nets := make([]ipnet.Net4, len(in.Prefix4))
	addrs := make([]ipnet.Addr4, len(in.Contain))
	for i := range nets {
		nets[i] = ipnet.MustParseNet4(in.Prefix4[i])
		addrs[i] = ipnet.MustParseAddr4(in.Contain[i])
	}
	return func() (Result, error) {
		n := 0
		for i := range nets {
			if nets[i].Contains(addrs[i]) {
				n++
			}
		}
		return Result{Count: len(nets), Digest: strconv.Itoa(n)}, nil
	}
}

func netipContains(in *Inputs) func() (Result, error) {
	nets := make([]netip.Prefix, len(in.Prefix4))
	addrs := make([]netip.Addr, len(in.Contain))
	for i := range nets {
		nets[i] = netip.MustParsePrefix(in.Prefix4[i])
		addrs[i] = netip.MustParseAddr(in.Contain[i])
	}
	return func() (Result, error) {
		n := 0
		for i := range nets {
			if nets[i].Contains(addrs[i]) {
				n++
			}
		}
		return Result{Count: len(nets), Digest: strconv.Itoa(n)}, nil
	}
}

// The collapse, summarize and exclude workloads time the operation on
// pre-parsed values, collecting its output; the digest is computed after.
func ipnetCollapse(in *Inputs) func() (Result, error) {
	nets := make([]ipnet.Net4, len(in.Collapse))
	for i, s := range in.Collapse {
		nets[i] = ipnet.MustParseNet4(s)
	}
	var out []ipnet.Net4
	return func() (Result, error) {
		out = slices.AppendSeq(out[:0], ipnet.CollapseAddresses4(nil, nets))
		return Result{Count: len(nets), digest: func() string { return netsDigest(out) }}, nil
	}
}

func netipxCollapse(in *Inputs) func() (Result, error) {
	nets := make([]netip.Prefix, len(in.Collapse))
	for i, s := range in.Collapse {
		nets[i] = netip.MustParsePrefix(s)
	}
	return func() (Result, error) {
		var b netipx.IPSetBuilder
		for _, p := range nets {
			b.AddPrefix(p)
		}
		set, err := b.IPSet()
		if err != nil {
			return Result{}, err
		}
		out := set.Prefixes()
		return Result{Count: len(nets), digest: func() string { return netsDigest(out) }}, nil
	}
}

func ipnetSummarize(in *Inputs) func() (Result, error) {
	lo := make([]ipnet.Addr4, len(in.RangeLo))
	hi := make([]ipnet.Addr4, len(in.RangeHi))
	for i := range lo {
		lo[i], hi[i] = ipnet.MustParseAddr4(in.RangeLo[i]), ipnet.MustParseAddr4(in.RangeHi[i])
	}
	var out []ipnet.Net4
	return func() (Result, error) {
		out = out[:0]
		for i := range lo {
			seq, err := ipnet.SummarizeAddressRange4(lo[i], hi[i])
			if err != nil {
				return Result{}, err
			}
			out = slices.AppendSeq(out, seq)
		}
		return Result{Count: len(lo), digest: func() string { return netsDigest(out) }}, nil
	}
}

func netipxSummarize(in *Inputs) func() (Result, error) {
	ranges := make([]netipx.IPRange, len(in.RangeLo))
	for i := range ranges {
		ranges[i] = netipx.IPRangeFrom(netip.MustParseAddr(in.RangeLo[i]), netip.MustParseAddr(in.RangeHi[i]))
	}
	var out []netip.Prefix
	return func() (Result, error) {
		out = out[:0]
		for _, r := range ranges {
			out = r.AppendPrefixes(out)
		}
		return Result{Count: len(ranges), digest: func() string { return netsDigest(out) }}, nil
	}
}

// exclusion digests sort each exclusion's output, since Python and ipnet
// yield it largest first and netipx in address order.
func exclusionDigest(per [][]netip.Prefix) string {
	var all []netip.Prefix
	for _, ps := range per {
		ps = slices.Clone(ps)
		slices.SortFunc(ps, func(a, b netip.Prefix) int {
			return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
		})
		all = append(all, ps...)
	}
	return netsDigest(all)
}

func ipnetExclude(in *Inputs) func() (Result, error) {
	outer := make([]ipnet.Net4, len(in.ExcludeOuter))
	inner := make([]ipnet.Net4, len(in.Excl))
	for i := range outer {
		outer[i], inner[i] = ipnet.MustParseNet4(in.ExcludeOuter[i]), ipnet.MustParseNet4(in.Excl[i])
	}
	out := make([][]ipnet.Net4, len(outer))
	return func() (Result, error) {
		for i := range outer {
			seq, err := outer[i].AddressExclude(inner[i])
			if err != nil {
				return Result{}, err
			}
			out[i] = slices.AppendSeq(out[i][:0], seq)
		}
		digest := func() string {
			per := make([][]netip.Prefix, len(out))
			for i, ns := range out {
				for _, n := range ns {
					per[i] = append(per[i], n.Netip())
				}
			}
			return exclusionDigest(per)
		}
		return Result{Count: len(outer), digest: digest}, nil
	}
}

func netipxExclude(in *Inputs) func() (Result, error) {
	outer := make([]netip.Prefix, len(in.ExcludeOuter))
	inner := make([]netip.Prefix, len(in.Excl))
	for i := range outer {
		outer[i], inner[i] = netip.MustParsePrefix(in.ExcludeOuter[i]), netip.MustParsePrefix(in.Excl[i])
	}
	out := make([][]netip.Prefix, len(outer))
	return func() (Result, error) {
		for i := range outer {
			var b netipx.IPSetBuilder
			b.AddPrefix(outer[i])
			b.RemovePrefix(inner[i])
			set, err := b.IPSet()
			if err != nil {
				return Result{}, err
			}
			out[i] = set.Prefixes()
		}
		return Result{Count: len(outer), digest: func() string { return exclusionDigest(out) }}, nil
	}
}
