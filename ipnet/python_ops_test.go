package ipnet

// The operations in python_ops_data_test.go were run through CPython's
// ipaddress (configured as described in python_vectors_test.go) on random
// networks and addresses: collapse_addresses, address_exclude,
// summarize_address_range, + and -, indexing, subnets and supernet with
// both argument forms, compare_networks, overlaps, subnet_of, `in` and
// hosts(). Each row holds the operation, its two arguments as strings and
// Python's result: space-separated yields, a single value, or
// "ERR Class: message".

import (
	"errors"
	"iter"
	"strconv"
	"strings"
	"testing"
)

type pythonOp struct{ op, a, b, want string }

func TestPythonOps(t *testing.T) {
	for _, c := range pythonOps {
		if got := runOp(t, c); got != c.want {
			t.Errorf("%s(%q, %q):\n got %s\nwant %s", c.op, c.a, c.b, got, c.want)
		}
	}
}

func runOp(t *testing.T, c pythonOp) string {
	net := func(s string) Network { return MustParseNetwork(s) }
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	switch c.op {
	case "collapse":
		var addrs []Addr
		var nets []Network
		for _, f := range strings.Fields(c.a) {
			if strings.Contains(f, "/") {
				nets = append(nets, net(f))
			} else {
				addrs = append(addrs, MustParseAddress(f))
			}
		}
		s, err := CollapseAddresses(addrs, nets)
		return joinSeq(s, err)
	case "exclude":
		s, err := net(c.a).AddressExclude(net(c.b))
		return joinSeq(s, err)
	case "summarize":
		s, err := SummarizeAddressRange(MustParseAddress(c.a), MustParseAddress(c.b))
		return joinSeq(s, err)
	case "add":
		r, err := MustParseAddress(c.a).Add(int64(num(c.b)))
		return value(r, err)
	case "sub":
		r, err := MustParseAddress(c.a).Sub(int64(num(c.b)))
		return value(r, err)
	case "at":
		r, err := net(c.a).At(int64(num(c.b)))
		return value(r, err)
	case "subnetsto":
		s, err := net(c.a).SubnetsTo(num(c.b))
		return joinSeqN(s, err, 5)
	case "subnets":
		s, err := net(c.a).Subnets(num(c.b))
		return joinSeqN(s, err, 5)
	case "supernetto":
		r, err := net(c.a).SupernetTo(num(c.b))
		return value(r, err)
	case "supernet":
		r, err := net(c.a).Supernet(num(c.b))
		return value(r, err)
	case "compare":
		r, err := net(c.a).CompareNetworks(net(c.b))
		return value(text(strconv.Itoa(r)), err)
	case "overlaps":
		r, err := net(c.a).Overlaps(net(c.b))
		return value(text(pyBool(r)), err)
	case "subnetof":
		r, err := net(c.a).SubnetOf(net(c.b))
		return value(text(pyBool(r)), err)
	case "contains":
		n, a := net(c.a), MustParseAddress(c.b)
		r, err := n.Contains(a)
		if n.Version() != a.Version() && errors.Is(err, ErrVersion) {
			return "False" // Python's answer; ipnet refuses to mix versions (see doc.go)
		}
		return value(text(pyBool(r)), err)
	case "hosts":
		return joinSeqN(net(c.a).Hosts(), nil, 4)
	}
	t.Fatalf("unknown op %q", c.op)
	return ""
}

type text string

func (t text) String() string { return string(t) }

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func errString(err error) string {
	class := "?"
	switch {
	case errors.As(err, new(*AddressError)):
		class = "AddressValueError"
	case errors.As(err, new(*NetmaskError)):
		class = "NetmaskValueError"
	case errors.As(err, new(*ValueError)):
		class = "ValueError"
	case errors.As(err, new(*VersionError)):
		class = "TypeError"
	case errors.As(err, new(*IndexError)):
		class = "IndexError"
	}
	return "ERR " + class + ": " + err.Error()
}

func value[T interface{ String() string }](v T, err error) string {
	if err != nil {
		return errString(err)
	}
	return v.String()
}

func joinSeq[T interface{ String() string }](s iter.Seq[T], err error) string {
	return joinSeqN(s, err, 1000)
}

func joinSeqN[T interface{ String() string }](s iter.Seq[T], err error, max int) string {
	if err != nil {
		return errString(err)
	}
	var out []string
	for v := range s {
		if out = append(out, v.String()); len(out) == max {
			break
		}
	}
	return strings.Join(out, " ")
}
