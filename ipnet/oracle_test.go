package ipnet_test

// TestOracle replays the corpus that scripts/ipnet_oracle.py recorded from
// Python's ipaddress module (3.13 semantics) and asserts that ipnet gives
// the same answer to every record: the same strings, booleans and numbers,
// or an error of the matching class with Python's message, verbatim.
// testdata/README.md describes the records.
//
// A few records cannot be put to ipnet at all, because its typed API cannot
// even express the input (a negative integer as an address, an index past
// int64, prefixlen_diff and new_prefix given together). Those are counted and
// logged per op as "not expressible", never silently passed.
//
// ipnet deliberately departs from Python where its doc comments say so, and
// the test holds it to its documentation there instead: Network.Contains
// and Network.Overlaps return a *VersionError for objects of different IP
// versions, where Python answers False. Such records are counted and logged
// as documented deviations.
//
// -oracle.report=N sets how many disagreements are printed per op (-1: all);
// each op's failure ends with a count of disagreements by property or kind.
//
// TODO, waiting for API in ipnet (records of these kinds are reported as
// not modelled, and fail the test, until the API exists):
//   - interface_add: Python's IPv4Interface + int (an interface of full
//     prefix length);
//   - format: format(address, spec);
//   - reverse_pointer of networks and interfaces.

import (
	"bufio"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"iter"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/ipnet"
)

const oracleDir = "testdata/oracle"

var oracleReport = flag.Int("oracle.report", 20,
	"number of disagreements TestOracle prints per op (-1 for all)")

// oracleRecord is one line of the corpus.
type oracleRecord struct {
	Op  string          `json:"op"`
	In  json.RawMessage `json:"in"`
	Out json.RawMessage `json:"out"`
	Err *pyError        `json:"err"`

	where string // file:line, for reports
}

// pyError is the exception Python raised.
type pyError struct {
	Class string  `json:"class"`
	Msg   *string `json:"msg"`
	// OrderDependent marks a TypeError whose message depends on the order
	// of Python's sort; only its class is compared.
	OrderDependent bool `json:"order_dependent"`
}

func (e *pyError) String() string {
	if e.Msg == nil {
		return e.Class + " (message not recorded)"
	}
	return e.Class + ": " + *e.Msg
}

// oracleInput holds every input field any op uses.
type oracleInput struct {
	S             string   `json:"s"`
	Strict        bool     `json:"strict"`
	Int           string   `json:"int"`
	Packed        string   `json:"packed"`
	Addr          string   `json:"addr"`
	AddrIsInt     bool     `json:"addr_is_int"`
	Prefix        string   `json:"prefix"`
	PrefixIsInt   bool     `json:"prefix_is_int"`
	Net           string   `json:"net"`
	PrefixlenDiff *int     `json:"prefixlen_diff"`
	NewPrefix     *int     `json:"new_prefix"`
	Index         string   `json:"index"`
	A             string   `json:"a"`
	B             string   `json:"b"`
	Delta         string   `json:"delta"`
	Spec          string   `json:"spec"`
	Items         []string `json:"items"`
	First         string   `json:"first"`
	Last          string   `json:"last"`
}

// errNotExpressible marks an input that ipnet's typed API cannot take.
type errNotExpressible struct{ why string }

func (e errNotExpressible) Error() string { return "not expressible in ipnet's API: " + e.why }

// errNotModelled marks a Python operation that ipnet has no API for yet.
type errNotModelled struct{ what string }

func (e errNotModelled) Error() string { return "not modelled by ipnet: " + e.what }

// errDeviation marks an answer where ipnet documents a different result
// from Python's and gave exactly that documented result.
type errDeviation struct{ what string }

func (e errDeviation) Error() string { return "documented deviation: " + e.what }

// oracleOp computes ipnet's answer to a record's input: a value that
// marshals to the same JSON as Python's "out", or an error.
type oracleOp func(in *oracleInput) (any, error)

var oracleOps = map[string]oracleOp{
	"ip_address":  func(in *oracleInput) (any, error) { return describe(ipnet.ParseAddress(in.S)) },
	"IPv4Address": func(in *oracleInput) (any, error) { return str(ipnet.ParseAddr4(in.S)) },
	"IPv6Address": func(in *oracleInput) (any, error) { return str(ipnet.ParseAddr6(in.S)) },

	"ip_network": func(in *oracleInput) (any, error) {
		n, err := ipnet.ParseNetwork(in.S, in.Strict)
		return describeNetErr(n, err)
	},
	"IPv4Network": func(in *oracleInput) (any, error) { return str(ipnet.ParseNet4(in.S, in.Strict)) },
	"IPv6Network": func(in *oracleInput) (any, error) { return str(ipnet.ParseNet6(in.S, in.Strict)) },

	"ip_interface": func(in *oracleInput) (any, error) {
		i, err := ipnet.ParseInterface(in.S)
		if err != nil {
			return nil, err
		}
		return describeIface(i), nil
	},
	"IPv4Interface": func(in *oracleInput) (any, error) { return str(ipnet.ParseIface4(in.S)) },
	"IPv6Interface": func(in *oracleInput) (any, error) { return str(ipnet.ParseIface6(in.S)) },

	"ip_address_int": func(in *oracleInput) (any, error) {
		u, err := uint128Arg(in.Int)
		if err != nil {
			return nil, err
		}
		return describeAddr(ipnet.AddrFromUint128(u)), nil
	},
	"IPv4Address_int": func(in *oracleInput) (any, error) {
		v, err := uint32Arg(in.Int)
		if err != nil {
			return nil, err
		}
		return ipnet.Addr4From(v).String(), nil
	},
	"IPv6Address_int": func(in *oracleInput) (any, error) {
		u, err := uint128Arg(in.Int)
		if err != nil {
			return nil, err
		}
		return ipnet.Addr6From(u).String(), nil
	},
	"ip_network_int": func(in *oracleInput) (any, error) {
		u, err := uint128Arg(in.Int)
		if err != nil {
			return nil, err
		}
		a := ipnet.AddrFromUint128(u)
		if a4, ok := a.As4(); ok {
			return str(ipnet.NewNet4(a4, 32, true))
		}
		a6, _ := a.As6()
		return str(ipnet.NewNet6(a6, 128, true))
	},
	"ip_interface_int": func(in *oracleInput) (any, error) {
		u, err := uint128Arg(in.Int)
		if err != nil {
			return nil, err
		}
		a := ipnet.AddrFromUint128(u)
		if a4, ok := a.As4(); ok {
			return str(ipnet.NewIface4(a4, 32))
		}
		a6, _ := a.As6()
		return str(ipnet.NewIface6(a6, 128))
	},
	"ip_address_packed": func(in *oracleInput) (any, error) {
		return str(ipnet.AddrFromBytes(mustHex(in.Packed)))
	},
	"IPv4Address_packed": func(in *oracleInput) (any, error) {
		return str(ipnet.Addr4FromBytes(mustHex(in.Packed)))
	},
	"IPv6Address_packed": func(in *oracleInput) (any, error) {
		return str(ipnet.Addr6FromBytes(mustHex(in.Packed)))
	},
	"IPv4Network_tuple": func(in *oracleInput) (any, error) {
		var a ipnet.Addr4
		if in.AddrIsInt {
			v, err := uint32Arg(in.Addr)
			if err != nil {
				return nil, err
			}
			a = ipnet.Addr4From(v)
		} else {
			var err error
			if a, err = ipnet.ParseAddr4(in.Addr); err != nil {
				return nil, err
			}
		}
		if in.PrefixIsInt {
			p, err := strconv.Atoi(in.Prefix)
			if err != nil {
				return nil, err
			}
			return str(ipnet.NewNet4(a, p, in.Strict))
		}
		// A string mask goes through the same parser as "addr/mask".
		return str(ipnet.ParseNet4(a.String()+"/"+in.Prefix, in.Strict))
	},
	"IPv6Network_tuple": func(in *oracleInput) (any, error) {
		var a ipnet.Addr6
		if in.AddrIsInt {
			u, err := uint128Arg(in.Addr)
			if err != nil {
				return nil, err
			}
			a = ipnet.Addr6From(u)
		} else {
			var err error
			if a, err = ipnet.ParseAddr6(in.Addr); err != nil {
				return nil, err
			}
		}
		if in.PrefixIsInt {
			p, err := strconv.Atoi(in.Prefix)
			if err != nil {
				return nil, err
			}
			return str(ipnet.NewNet6(a, p, in.Strict))
		}
		return str(ipnet.ParseNet6(a.String()+"/"+in.Prefix, in.Strict))
	},

	"network": func(in *oracleInput) (any, error) {
		n, err := ipnet.ParseNetwork(in.S, true)
		return describeNetErr(n, err)
	},
	"subnets": func(in *oracleInput) (any, error) {
		n := mustNetwork(in.Net)
		var seq iter.Seq[ipnet.Network]
		var err error
		switch {
		case in.NewPrefix != nil && in.PrefixlenDiff != nil && *in.PrefixlenDiff != 1:
			return nil, errNotExpressible{"prefixlen_diff and new_prefix together"}
		case in.NewPrefix != nil:
			seq, err = n.SubnetsTo(*in.NewPrefix)
		case in.PrefixlenDiff != nil:
			seq, err = n.Subnets(*in.PrefixlenDiff)
		default:
			seq, err = n.Subnets(1)
		}
		if err != nil {
			return nil, err
		}
		// Mirror the generator: the first 8, and the count when at most
		// 4096 more follow.
		out := map[string]any{}
		head, rest := []string{}, 0
		for x := range seq {
			if len(head) < 8 {
				head = append(head, x.String())
			} else if rest++; rest == 4096 {
				break
			}
		}
		out["head"] = head
		if rest < 4096 {
			out["count"] = len(head) + rest
		}
		return out, nil
	},
	"supernet": func(in *oracleInput) (any, error) {
		n := mustNetwork(in.Net)
		switch {
		case in.NewPrefix != nil && in.PrefixlenDiff != nil && *in.PrefixlenDiff != 1:
			return nil, errNotExpressible{"prefixlen_diff and new_prefix together"}
		case in.NewPrefix != nil:
			return str(n.SupernetTo(*in.NewPrefix))
		case in.PrefixlenDiff != nil:
			return str(n.Supernet(*in.PrefixlenDiff))
		}
		return str(n.Supernet(1))
	},
	"getitem": func(in *oracleInput) (any, error) {
		i, err := int64Arg(in.Index)
		if err != nil {
			return nil, err
		}
		return str(mustNetwork(in.Net).At(i))
	},

	"overlaps": func(in *oracleInput) (any, error) {
		a, b := mustNetwork(in.A), mustNetwork(in.B)
		ok, err := a.Overlaps(b)
		return ok, mixedVersionDeviation(err, a.Version() != b.Version(), "Overlaps")
	},
	"subnet_of": func(in *oracleInput) (any, error) {
		return mustNetwork(in.A).SubnetOf(mustNetwork(in.B))
	},
	"supernet_of": func(in *oracleInput) (any, error) {
		return mustNetwork(in.A).SupernetOf(mustNetwork(in.B))
	},
	"compare_networks": func(in *oracleInput) (any, error) {
		return mustNetwork(in.A).CompareNetworks(mustNetwork(in.B))
	},
	"network_eq": func(in *oracleInput) (any, error) { return mustNetwork(in.A) == mustNetwork(in.B), nil },
	"network_lt": func(in *oracleInput) (any, error) {
		c, err := mustNetwork(in.A).Compare(mustNetwork(in.B))
		return c < 0, err
	},
	"contains": func(in *oracleInput) (any, error) {
		n, a := mustNetwork(in.Net), mustAddress(in.Addr)
		ok, err := n.Contains(a)
		return ok, mixedVersionDeviation(err, n.Version() != a.Version(), "Contains")
	},
	"address_exclude": func(in *oracleInput) (any, error) {
		return strs(mustNetwork(in.A).AddressExclude(mustNetwork(in.B)))
	},

	"address_eq": func(in *oracleInput) (any, error) { return mustAddress(in.A) == mustAddress(in.B), nil },
	"address_lt": func(in *oracleInput) (any, error) {
		c, err := mustAddress(in.A).Compare(mustAddress(in.B))
		return c < 0, err
	},
	"address_add": func(in *oracleInput) (any, error) { return addressOffset(in, false) },
	"address_sub": func(in *oracleInput) (any, error) { return addressOffset(in, true) },
	"interface_eq": func(in *oracleInput) (any, error) {
		return mustInterface(in.A) == mustInterface(in.B), nil
	},
	"interface_lt": func(in *oracleInput) (any, error) {
		c, err := mustInterface(in.A).Compare(mustInterface(in.B))
		return c < 0, err
	},
	"interface_add": func(in *oracleInput) (any, error) {
		return nil, errNotModelled{"interface + int"}
	},
	"format": func(in *oracleInput) (any, error) {
		return nil, errNotModelled{"format(address, spec)"}
	},

	"collapse_addresses": func(in *oracleInput) (any, error) {
		var addrs []ipnet.Addr
		var nets []ipnet.Network
		for _, s := range in.Items {
			if strings.Contains(s, "/") {
				nets = append(nets, mustNetwork(s))
			} else {
				addrs = append(addrs, mustAddress(s))
			}
		}
		return strs(ipnet.CollapseAddresses(addrs, nets))
	},
	"sort_mixed": func(in *oracleInput) (any, error) {
		type keyed struct {
			key ipnet.MixedKey
			s   string
		}
		items := make([]keyed, len(in.Items))
		for i, s := range in.Items {
			if strings.Contains(s, "/") {
				n := mustNetwork(s)
				items[i] = keyed{n.MixedKey(), n.String()}
			} else {
				a := mustAddress(s)
				items[i] = keyed{a.MixedKey(), a.String()}
			}
		}
		// Python's sorted() is stable, and so must this be.
		slices.SortStableFunc(items, func(x, y keyed) int { return x.key.Compare(y.key) })
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.s
		}
		return out, nil
	},
	"summarize_address_range": func(in *oracleInput) (any, error) {
		return strs(ipnet.SummarizeAddressRange(mustAddress(in.First), mustAddress(in.Last)))
	},
}

// mixedVersionDeviation accepts the *VersionError that Network.Contains and
// Network.Overlaps document for mixed versions (Python answers False), and
// only there.
func mixedVersionDeviation(err error, mixed bool, method string) error {
	var ve *ipnet.VersionError
	if mixed && errors.As(err, &ve) {
		return errDeviation{method + " of mixed versions is a *VersionError; Python answers False"}
	}
	return err
}

func addressOffset(in *oracleInput, sub bool) (any, error) {
	a := mustAddress(in.A)
	d, ok := new(big.Int).SetString(in.Delta, 10)
	if !ok {
		panic("bad delta " + in.Delta)
	}
	if d.IsInt64() {
		if sub {
			return str(a.Sub(d.Int64()))
		}
		return str(a.Add(d.Int64()))
	}
	a6, ok := a.As6()
	mag := new(big.Int).Abs(d)
	if !ok || mag.BitLen() > 128 {
		return nil, errNotExpressible{"offset " + in.Delta + " for " + in.A}
	}
	u := uint128FromBig(mag)
	if (d.Sign() < 0) != sub {
		return str(a6.SubUint128(u))
	}
	return str(a6.AddUint128(u))
}

// Descriptions: the same properties, under the same names, as the
// generator's describe_* functions.

func describe(a ipnet.Addr, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return describeAddr(a), nil
}

func describeAddr(a ipnet.Addr) map[string]any {
	d := map[string]any{
		"version":         a.Version(),
		"max_prefixlen":   a.MaxPrefixLen(),
		"str":             a.String(),
		"exploded":        a.Exploded(),
		"compressed":      a.Compressed(),
		"reverse_pointer": a.ReversePointer(),
		"packed":          hex.EncodeToString(a.Packed()),
		"int":             a.Uint128().String(),
	}
	flags(d, a.Version(), a)
	if a4, ok := a.As4(); ok {
		d["ipv6_mapped"] = a4.IPv6Mapped().String()
		return d
	}
	a6, _ := a.As6()
	d["scope_id"] = nullable(a6.ScopeID())
	d["ipv4_mapped"] = nil
	if v4, ok := a6.IPv4Mapped(); ok {
		d["ipv4_mapped"] = v4.String()
	}
	d["sixtofour"] = nil
	if v4, ok := a6.SixToFour(); ok {
		d["sixtofour"] = v4.String()
	}
	d["teredo"] = nil
	if server, client, ok := a6.Teredo(); ok {
		d["teredo"] = []string{server.String(), client.String()}
	}
	return d
}

func describeNetErr(n ipnet.Network, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return describeNet(n), nil
}

func describeNet(n ipnet.Network) map[string]any {
	d := map[string]any{
		"version":           n.Version(),
		"max_prefixlen":     n.MaxPrefixLen(),
		"str":               n.String(),
		"exploded":          n.Exploded(),
		"compressed":        n.Compressed(),
		"reverse_pointer":   errNotModelled{"Network.ReversePointer"},
		"network_address":   n.NetworkAddress().String(),
		"broadcast_address": n.BroadcastAddress().String(),
		"netmask":           n.Netmask().String(),
		"hostmask":          n.Hostmask().String(),
		"prefixlen":         n.PrefixLen(),
		"num_addresses":     n.NumAddressesString(),
		"with_prefixlen":    n.WithPrefixLen(),
		"with_netmask":      n.WithNetmask(),
		"with_hostmask":     n.WithHostmask(),
	}
	flags(d, n.Version(), n)
	head := []string{}
	for h := range n.Hosts() {
		if len(head) == 4 {
			break
		}
		head = append(head, h.String())
	}
	d["hosts_head"] = head
	if count, overflow := n.NumAddresses(); !overflow && count.Hi == 0 && count.Lo <= 4096 {
		var hosts []string
		for h := range n.Hosts() {
			hosts = append(hosts, h.String())
		}
		d["hosts_tail"] = hosts[max(0, len(hosts)-4):]
		d["hosts_count"] = len(hosts)
	}
	return d
}

func describeIface(i ipnet.Interface) map[string]any {
	ip := i.IP()
	d := map[string]any{
		"version":         i.Version(),
		"max_prefixlen":   ip.MaxPrefixLen(),
		"str":             i.String(),
		"exploded":        i.Exploded(),
		"compressed":      i.Compressed(),
		"reverse_pointer": errNotModelled{"Interface.ReversePointer"},
		"packed":          hex.EncodeToString(ip.Packed()),
		"int":             ip.Uint128().String(),
		"ip":              ip.String(),
		"network":         i.Network().String(),
		"netmask":         i.Netmask().String(),
		"hostmask":        i.Hostmask().String(),
		"with_prefixlen":  i.WithPrefixLen(),
		"with_netmask":    i.WithNetmask(),
		"with_hostmask":   i.WithHostmask(),
	}
	flags(d, i.Version(), i)
	if i6, ok := i.As6(); ok {
		d["scope_id"] = nullable(i6.ScopeID())
	}
	return d
}

// flagger is the is_* properties every address, network and interface has.
type flagger interface {
	IsMulticast() bool
	IsPrivate() bool
	IsGlobal() bool
	IsUnspecified() bool
	IsReserved() bool
	IsLoopback() bool
	IsLinkLocal() bool
	IsSiteLocal() bool
}

func flags(d map[string]any, version int, f flagger) {
	d["is_multicast"] = f.IsMulticast()
	d["is_private"] = f.IsPrivate()
	d["is_global"] = f.IsGlobal()
	d["is_unspecified"] = f.IsUnspecified()
	d["is_reserved"] = f.IsReserved()
	d["is_loopback"] = f.IsLoopback()
	d["is_link_local"] = f.IsLinkLocal()
	if version == 6 {
		d["is_site_local"] = f.IsSiteLocal()
	}
}

// Argument helpers.

func str[T fmt.Stringer](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v.String(), nil
}

func strs[T fmt.Stringer](seq iter.Seq[T], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := []string{}
	for x := range seq {
		out = append(out, x.String())
	}
	return out, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The corpus spells the operands of methods in Python's str() form; they
// parse, or the corpus is broken.

func mustAddress(s string) ipnet.Addr {
	a, err := ipnet.ParseAddress(s)
	if err != nil {
		panic(fmt.Sprintf("corpus operand %q: %v", s, err))
	}
	return a
}

func mustNetwork(s string) ipnet.Network {
	n, err := ipnet.ParseNetwork(s, true)
	if err != nil {
		panic(fmt.Sprintf("corpus operand %q: %v", s, err))
	}
	return n
}

func mustInterface(s string) ipnet.Interface {
	i, err := ipnet.ParseInterface(s)
	if err != nil {
		panic(fmt.Sprintf("corpus operand %q: %v", s, err))
	}
	return i
}

func bigArg(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad integer " + s)
	}
	return v
}

func uint128Arg(s string) (ipnet.Uint128, error) {
	v := bigArg(s)
	if v.Sign() < 0 || v.BitLen() > 128 {
		return ipnet.Uint128{}, errNotExpressible{"integer " + s + " outside Uint128"}
	}
	return uint128FromBig(v), nil
}

func uint128FromBig(v *big.Int) ipnet.Uint128 {
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0)))
	hi := new(big.Int).Rsh(v, 64)
	return ipnet.Uint128{Hi: hi.Uint64(), Lo: lo.Uint64()}
}

func uint32Arg(s string) (uint32, error) {
	v := bigArg(s)
	if v.Sign() < 0 || v.BitLen() > 32 {
		return 0, errNotExpressible{"integer " + s + " outside uint32"}
	}
	return uint32(v.Uint64()), nil
}

func int64Arg(s string) (int64, error) {
	v := bigArg(s)
	if !v.IsInt64() {
		return 0, errNotExpressible{"integer " + s + " outside int64"}
	}
	return v.Int64(), nil
}

// pyClass names the Python exception class that err stands for.
func pyClass(err error) string {
	var (
		ae *ipnet.AddressError
		ne *ipnet.NetmaskError
		ve *ipnet.ValueError
		te *ipnet.VersionError
		ie *ipnet.IndexError
	)
	switch {
	case errors.As(err, &ae):
		return "AddressValueError"
	case errors.As(err, &ne):
		return "NetmaskValueError"
	case errors.As(err, &ve):
		return "ValueError"
	case errors.As(err, &te):
		return "TypeError"
	case errors.As(err, &ie):
		return "IndexError"
	}
	return fmt.Sprintf("%T", err)
}

// Comparison.

// compareAnswer describes how ipnet's answer (got, err) differs from the
// record, or returns no differences if it does not. Each difference has a
// kind, for the per-op summary: the property that differs, or what kind of
// answer does.
func compareAnswer(rec *oracleRecord, got any, err error) (diff string, kinds []string) {
	if rec.Err != nil {
		if err == nil {
			return fmt.Sprintf("Python raised %s; ipnet returned %s", rec.Err, jsonString(got)),
				[]string{"Python raised " + rec.Err.Class + ", ipnet did not"}
		}
		if c := pyClass(err); c != rec.Err.Class {
			return fmt.Sprintf("Python raised %s; ipnet error is %s: %v", rec.Err, c, err),
				[]string{"Python raised " + rec.Err.Class + ", ipnet " + c}
		}
		if rec.Err.Msg != nil && err.Error() != *rec.Err.Msg {
			return fmt.Sprintf("message differs:\n\t\tPython %q\n\t\tipnet  %q", *rec.Err.Msg, err.Error()),
				[]string{rec.Err.Class + " message"}
		}
		return "", nil
	}
	if err != nil {
		return fmt.Sprintf("Python answered %s; ipnet error %s: %v", string(rec.Out), pyClass(err), err),
			[]string{"ipnet error " + pyClass(err) + ", Python answered"}
	}
	var want any
	if e := json.Unmarshal(rec.Out, &want); e != nil {
		return "bad record: " + e.Error(), []string{"bad record"}
	}
	return diffValues(want, got)
}

// diffValues compares Python's decoded JSON want with ipnet's answer got,
// property by property for descriptions.
func diffValues(want, got any) (string, []string) {
	wm, ok := want.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if !ok || !ok2 {
		if g := normalize(got); !reflect.DeepEqual(want, g) {
			return fmt.Sprintf("Python %s; ipnet %s", jsonString(want), jsonString(g)), []string{"value"}
		}
		return "", nil
	}
	pyErrs, _ := wm["errors"].(map[string]any)
	keys := make([]string, 0, len(wm)+len(pyErrs))
	for k := range wm {
		if k != "errors" {
			keys = append(keys, k)
		}
	}
	for k := range pyErrs {
		keys = append(keys, k)
	}
	for k := range gm {
		if _, ok := wm[k]; !ok && pyErrs[k] == nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var diffs, kinds []string
	for _, k := range keys {
		w, inPy := wm[k]
		g, inGo := gm[k]
		var d string
		if nm, ok := g.(errNotModelled); ok {
			d = fmt.Sprintf("%s: %v (Python %s)", k, nm, jsonString(w))
		} else {
			switch {
			case pyErrs[k] != nil:
				d = fmt.Sprintf("%s: Python raised %s; ipnet %s", k, jsonString(pyErrs[k]), jsonString(g))
			case !inGo:
				d = fmt.Sprintf("%s: Python %s; ipnet has no such property", k, jsonString(w))
			case !inPy:
				d = fmt.Sprintf("%s: not in Python's answer; ipnet %s", k, jsonString(g))
			default:
				if g := normalize(g); !reflect.DeepEqual(w, g) {
					d = fmt.Sprintf("%s: Python %s; ipnet %s", k, jsonString(w), jsonString(g))
				}
			}
		}
		if d != "" {
			diffs = append(diffs, d)
			kinds = append(kinds, k)
		}
	}
	return strings.Join(diffs, "\n\t\t"), kinds
}

// normalize turns v into what decoding its JSON gives, so that it compares
// with Python's decoded answer.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshallable %T", v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Loading.

type oracleManifest struct {
	Seed           int            `json:"seed"`
	IPAddressSHA   string         `json:"ipaddress_sha256"`
	Files          map[string]int `json:"files"`
	Ops            map[string]int `json:"ops"`
	GeneratorScale float64        `json:"scale"`
}

func loadOracle(t *testing.T) (map[string][]*oracleRecord, oracleManifest) {
	t.Helper()
	var m oracleManifest
	b, err := os.ReadFile(filepath.Join(oracleDir, "manifest.json"))
	if err != nil {
		t.Fatalf("oracle corpus missing (regenerate with scripts/ipnet_oracle.py): %v", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if len(m.Files) == 0 {
		t.Fatal("manifest.json lists no files")
	}
	byOp := map[string][]*oracleRecord{}
	for name, want := range m.Files {
		recs := readOracleFile(t, filepath.Join(oracleDir, name))
		if len(recs) != want {
			t.Fatalf("%s: %d records, manifest says %d", name, len(recs), want)
		}
		for _, r := range recs {
			byOp[r.Op] = append(byOp[r.Op], r)
		}
	}
	for op, want := range m.Ops {
		if got := len(byOp[op]); got != want {
			t.Fatalf("op %s: %d records, manifest says %d", op, got, want)
		}
	}
	return byOp, m
}

func readOracleFile(t *testing.T, path string) []*oracleRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	var recs []*oracleRecord
	for line := 1; sc.Scan(); line++ {
		r := new(oracleRecord)
		if err := json.Unmarshal(sc.Bytes(), r); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		if (r.Out == nil) == (r.Err == nil) {
			t.Fatalf("%s:%d: record needs exactly one of out and err", path, line)
		}
		r.where = fmt.Sprintf("%s:%d", filepath.Base(path), line)
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// Test.

func TestOracle(t *testing.T) {
	byOp, m := loadOracle(t)
	t.Logf("corpus: seed %d, ipaddress.py sha256 %.16s, %d ops", m.Seed, m.IPAddressSHA, len(byOp))
	ops := make([]string, 0, len(byOp))
	for op := range byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		recs := byOp[op]
		t.Run(op, func(t *testing.T) {
			run, ok := oracleOps[op]
			if !ok {
				t.Fatalf("no handler for op %q (%d records)", op, len(recs))
			}
			var bad, inexpressible, deviations int
			byKind := map[string]int{}
			for _, rec := range recs {
				var in oracleInput
				if err := json.Unmarshal(rec.In, &in); err != nil {
					t.Fatalf("%s: %v", rec.where, err)
				}
				got, err := runOracleOp(run, &in)
				var ne errNotExpressible
				var dev errDeviation
				switch {
				case errors.As(err, &ne):
					inexpressible++
					continue
				case errors.As(err, &dev):
					// ipnet documents a different answer; hold it to that.
					if rec.Err != nil || string(rec.Out) != "false" {
						bad++
						byKind["deviation where Python did not answer false"]++
						report(t, bad, rec, fmt.Sprintf("%v, but Python answered %s", dev, answer(rec)))
					} else {
						deviations++
					}
					continue
				}
				if diff, kinds := compareAnswer(rec, got, err); diff != "" {
					bad++
					for _, k := range kinds {
						byKind[k]++
					}
					report(t, bad, rec, diff)
				}
			}
			if n := *oracleReport; n >= 0 && bad > n {
				t.Errorf("... and %d more (-oracle.report=-1 prints all)", bad-n)
			}
			if bad > 0 {
				kinds := make([]string, 0, len(byKind))
				for k := range byKind {
					kinds = append(kinds, k)
				}
				sort.Strings(kinds)
				var b strings.Builder
				for _, k := range kinds {
					fmt.Fprintf(&b, "\n\t%6d  %s", byKind[k], k)
				}
				t.Errorf("%d of %d records disagree with Python; by kind:%s", bad, len(recs), b.String())
			}
			if inexpressible > 0 {
				t.Logf("%d of %d records have inputs ipnet's API cannot express", inexpressible, len(recs))
			}
			if deviations > 0 {
				t.Logf("%d of %d records are documented deviations from Python", deviations, len(recs))
			}
		})
	}
}

// runOracleOp runs op, turning a panic into an error so one bad record does
// not hide the rest.
func runOracleOp(op oracleOp, in *oracleInput) (got any, err error) {
	defer func() {
		if r := recover(); r != nil {
			got, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return op(in)
}

func answer(rec *oracleRecord) string {
	if rec.Err != nil {
		return "raised " + rec.Err.String()
	}
	return string(rec.Out)
}

func report(t *testing.T, n int, rec *oracleRecord, diff string) {
	t.Helper()
	if max := *oracleReport; max < 0 || n <= max {
		t.Errorf("%s in=%s\n\t\t%s", rec.where, rec.In, diff)
	}
}
