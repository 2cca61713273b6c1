package main

// "ipr calc": an ipcalc over package ipnet, which is Python's ipaddress
// module. Every value it prints is the answer of the ipaddress property or
// function of the same name, so scripts can rely on Python's semantics.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/ipnet"
)

// calcUsage is "ipr calc help".
const calcUsage = "[ show ] { ADDRESS | NETWORK | ADDRESS/PREFIX }...\n" +
	"         | collapse { ADDRESS | NETWORK }...\n" +
	"         | summarize FIRST LAST\n" +
	"         | exclude NETWORK NETWORK...\n" +
	"         | subnets NETWORK [ NEW_PREFIX | +PREFIXLEN_DIFF ]\n" +
	"Without arguments, the arguments are read from standard input, separated by\n" +
	"white space; '#' starts a comment."

// calcCommand returns the calc command named name, or nil.
func calcCommand(name string) func(e *env, w *calcWriter, args []string) error {
	switch name {
	case "show":
		return calcShow
	case "collapse":
		return calcCollapse
	case "summarize":
		return calcSummarize
	case "exclude":
		return calcExclude
	case "subnets":
		return calcSubnets
	}
	return nil
}

func runCalc(e *env, args []string) error {
	cmd := "show"
	if len(args) > 0 {
		if calcCommand(args[0]) != nil {
			cmd, args = args[0], args[1:]
		}
	}
	if len(args) == 0 {
		var err error
		if args, err = calcReadArgs(e.Stdin); err != nil {
			return err
		}
	}
	w := &calcWriter{w: bufio.NewWriter(e.Stdout), json: e.JSON}
	err := calcCommand(cmd)(e, w, args)
	if ferr := w.finish(err == nil); err == nil {
		err = ferr
	}
	return err
}

// calcReadArgs reads white-space separated arguments from r, ignoring
// everything from a '#' to the end of its line.
func calcReadArgs(r io.Reader) ([]string, error) {
	if r == nil {
		return nil, nil
	}
	var args []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		args = append(args, strings.Fields(line)...)
	}
	return args, sc.Err()
}

// calcWriter prints a command's results: in text, one value or one
// "key value" line per line; with -j, a JSON array of them.
type calcWriter struct {
	w     *bufio.Writer
	json  bool
	count int
}

// item writes one result: a string, or a *calcRecord.
func (w *calcWriter) item(v any) {
	if w.json {
		if w.count == 0 {
			w.w.WriteString("[\n  ")
		} else {
			w.w.WriteString(",\n  ")
		}
		w.writeJSON(v)
	} else {
		if r, ok := v.(*calcRecord); ok {
			if w.count > 0 {
				w.w.WriteByte('\n')
			}
			r.writeText(w.w)
		} else {
			fmt.Fprintln(w.w, v)
		}
	}
	w.count++
}

func (w *calcWriter) writeJSON(v any) {
	compact, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings, booleans and numbers get here
	}
	var b bytes.Buffer
	json.Indent(&b, compact, "  ", "  ")
	w.w.Write(b.Bytes())
}

// finish ends the output; complete is false after an error, when JSON
// output still closes the array it started.
func (w *calcWriter) finish(complete bool) error {
	if w.json && (complete || w.count > 0) {
		if w.count == 0 {
			w.w.WriteString("[]\n")
		} else {
			w.w.WriteString("\n]\n")
		}
	}
	return w.w.Flush()
}

// calcRecord is an ordered list of properties.
type calcRecord struct {
	keys   []string
	values []any
}

func (r *calcRecord) add(key string, value any) {
	r.keys = append(r.keys, key)
	r.values = append(r.values, value)
}

// MarshalJSON writes the properties in order.
func (r *calcRecord) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, k := range r.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, k)
		b = append(b, ':')
		v, err := json.Marshal(r.values[i])
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// writeText writes "key value" lines, leaving out absent (nil) values.
func (r *calcRecord) writeText(w io.Writer) {
	for i, k := range r.keys {
		switch v := r.values[i].(type) {
		case nil:
		case string:
			fmt.Fprintf(w, "%-17s %s\n", k, v)
		default:
			fmt.Fprintf(w, "%-17s %v\n", k, v)
		}
	}
}

// calcShow describes each argument: an address, or an address or network
// with a prefix (Python's ip_interface).
func calcShow(_ *env, w *calcWriter, args []string) error {
	if len(args) == 0 {
		return usagef("calc show: no address given")
	}
	for _, s := range args {
		i, err := ipnet.ParseInterface(s)
		if err != nil {
			return err
		}
		w.item(calcDescribe(i))
	}
	return nil
}

// calcDescribe gathers what ipcalc shows about an interface: its address,
// its network and the address's special-purpose flags.
func calcDescribe(i ipnet.Interface) *calcRecord {
	a, n := i.IP(), i.Network()
	r := &calcRecord{}
	r.add("address", a.String())
	if i6, ok := i.As6(); ok {
		var scope any // Python's None
		if z := i6.ScopeID(); z != "" {
			scope = z
		}
		r.add("scope_id", scope)
	}
	r.add("version", a.Version())
	r.add("exploded", a.Exploded())
	r.add("integer", a.Uint128().String())
	r.add("reverse_pointer", a.ReversePointer())
	r.add("network", n.String())
	r.add("prefixlen", n.PrefixLen())
	r.add("netmask", n.Netmask().String())
	r.add("hostmask", n.Hostmask().String())
	r.add("broadcast_address", n.BroadcastAddress().String())
	first, last := calcHostRange(n)
	r.add("first_host", first.String())
	r.add("last_host", last.String())
	r.add("num_addresses", n.NumAddressesString())
	r.add("is_private", a.IsPrivate())
	r.add("is_global", a.IsGlobal())
	r.add("is_multicast", a.IsMulticast())
	r.add("is_reserved", a.IsReserved())
	r.add("is_loopback", a.IsLoopback())
	r.add("is_link_local", a.IsLinkLocal())
	r.add("is_unspecified", a.IsUnspecified())
	if a4, ok := a.As4(); ok {
		r.add("ipv6_mapped", a4.IPv6Mapped().String())
		return r
	}
	a6, _ := a.As6()
	r.add("is_site_local", a6.IsSiteLocal())
	r.add("ipv4_mapped", calcOptionalAddr(a6.IPv4Mapped()))
	r.add("sixtofour", calcOptionalAddr(a6.SixToFour()))
	server, client, ok := a6.Teredo()
	r.add("teredo_server", calcOptionalAddr(server, ok))
	r.add("teredo_client", calcOptionalAddr(client, ok))
	return r
}

// calcOptionalAddr is a's string, or nil (JSON null) if there is none.
func calcOptionalAddr(a ipnet.Addr4, ok bool) any {
	if !ok {
		return nil
	}
	return a.String()
}

// calcHostRange returns the first and last addresses that Python's hosts()
// yields, without iterating: all addresses but the network address (and
// for IPv4 the broadcast address), except that the two addresses of a /31
// or /127 and the one of a /32 or /128 are all hosts.
func calcHostRange(n ipnet.Network) (first, last ipnet.Addr) {
	for h := range n.Hosts() {
		first = h
		break
	}
	last = n.BroadcastAddress()
	if n.Version() == 4 && n.PrefixLen() < 31 {
		last, _ = n.At(-2)
	}
	return first, last
}

// calcParseItem parses an address, or a network if s has a '/'.
func calcParseItem(s string) (ipnet.Addr, ipnet.Network, error) {
	if strings.Contains(s, "/") {
		n, err := ipnet.ParseNetwork(s, true)
		return ipnet.Addr{}, n, err
	}
	a, err := ipnet.ParseAddress(s)
	return a, ipnet.Network{}, err
}

// calcCollapse is Python's collapse_addresses of the arguments.
func calcCollapse(_ *env, w *calcWriter, args []string) error {
	var addrs []ipnet.Addr
	var nets []ipnet.Network
	for _, s := range args {
		a, n, err := calcParseItem(s)
		if err != nil {
			return err
		}
		if n.IsValid() {
			nets = append(nets, n)
		} else {
			addrs = append(addrs, a)
		}
	}
	seq, err := ipnet.CollapseAddresses(addrs, nets)
	return calcItems(w, seq, err)
}

// calcSummarize is Python's summarize_address_range(first, last).
func calcSummarize(_ *env, w *calcWriter, args []string) error {
	if len(args) != 2 {
		return usagef("calc summarize: want FIRST LAST, got %d arguments", len(args))
	}
	first, err := ipnet.ParseAddress(args[0])
	if err != nil {
		return err
	}
	last, err := ipnet.ParseAddress(args[1])
	if err != nil {
		return err
	}
	seq, err := ipnet.SummarizeAddressRange(first, last)
	return calcItems(w, seq, err)
}

// calcExclude removes each network after the first from the first: with
// Python's address_exclude where it lies within what is left, dropping
// what lies within it. The result is sorted.
func calcExclude(_ *env, w *calcWriter, args []string) error {
	if len(args) < 2 {
		return usagef("calc exclude: want NETWORK and the networks to remove from it")
	}
	n, err := ipnet.ParseNetwork(args[0], true)
	if err != nil {
		return err
	}
	left := []ipnet.Network{n}
	for _, s := range args[1:] {
		m, err := ipnet.ParseNetwork(s, true)
		if err != nil {
			return err
		}
		var next []ipnet.Network
		for _, x := range left {
			inside, err := m.SubnetOf(x)
			if err != nil {
				return err
			}
			covered, _ := x.SubnetOf(m)
			switch {
			case inside:
				rest, err := x.AddressExclude(m)
				if err != nil {
					return err
				}
				next = slices.AppendSeq(next, rest)
			case !covered:
				next = append(next, x)
			}
		}
		left = next
	}
	slices.SortFunc(left, func(a, b ipnet.Network) int {
		c, _ := a.Compare(b)
		return c
	})
	return calcItems(w, slices.Values(left), nil)
}

// calcSubnets is Python's subnets(): one bit longer by default,
// subnets(new_prefix=N) for N and subnets(prefixlen_diff=D) for +D.
func calcSubnets(_ *env, w *calcWriter, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return usagef("calc subnets: want NETWORK [ NEW_PREFIX | +PREFIXLEN_DIFF ]")
	}
	n, err := ipnet.ParseNetwork(args[0], true)
	if err != nil {
		return err
	}
	var seq iter.Seq[ipnet.Network]
	switch {
	case len(args) == 1:
		seq, err = n.Subnets(1)
	case strings.HasPrefix(args[1], "+"):
		d, perr := strconv.Atoi(args[1][1:])
		if perr != nil {
			return usagef("calc subnets: bad prefix length difference %q", args[1])
		}
		seq, err = n.Subnets(d)
	default:
		p, perr := strconv.Atoi(args[1])
		if perr != nil {
			return usagef("calc subnets: bad prefix length %q", args[1])
		}
		seq, err = n.SubnetsTo(p)
	}
	return calcItems(w, seq, err)
}

// calcItems writes every network of seq.
func calcItems(w *calcWriter, seq iter.Seq[ipnet.Network], err error) error {
	if err != nil {
		return err
	}
	for n := range seq {
		w.item(n.String())
	}
	return nil
}
