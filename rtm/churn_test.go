package rtm_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// A churn test checks what a dump guarantees while another socket keeps
// adding and removing objects of the same kind next to a stable set: every
// dump either ends in wire.ErrDumpInterrupted or returns each stable
// object exactly once, plus some of the churned ones, each at most once.
//
// The work is bounded by counts: a fixed number of dumps, with the
// churner stopping when they are done. IPR_CHURN_DUMPS raises the number
// of dumps to measure how often the kernel returns a wrong or flagged
// result (the test then logs the counts).

// churnEnv is one dump type prepared for a churn test.
type churnEnv struct {
	// dump runs one dump and returns the key of each object in order.
	dump func(h *rtm.Handle) ([]string, error)
	// churned tells the keys of churned objects.
	churned func(key string) bool
	// add and del add and remove churned object slot i.
	add, del func(h *rtm.Handle, i int) error
}

// churnSlots is how many churned objects exist; half of them are present
// at any time.
const churnSlots = 64

// churnedKeys is a churnEnv's churned: true for key(i) of each churn slot
// i, the key the dump gives the object of slot i.
func churnedKeys(key func(i int) string) func(string) bool {
	keys := make(map[string]bool, churnSlots)
	for i := range churnSlots {
		keys[key(i)] = true
	}
	return func(k string) bool { return keys[k] }
}

// churnResult counts the outcome of a churn run.
type churnResult struct {
	dumps, wrong, repeated, flagged, wrongUnflagged, churnOps int
	example                                                   string
}

// runChurn makes dumps dumps of env while a second handle churns, and
// counts wrong and flagged results against the stable set, which is what
// a dump returns before the churn starts.
func runChurn(t *testing.T, h, churner *rtm.Handle, env churnEnv, dumps int) churnResult {
	t.Helper()
	if n, err := strconv.Atoi(os.Getenv("IPR_CHURN_DUMPS")); err == nil && n > 0 {
		dumps = n
	}
	// The kernel changes things itself at first (IPv6 link-local
	// addresses and routes on a link brought up): retry until a dump of
	// the stable set is not interrupted.
	var keys []string
	err := wire.Retry(ctx, 10, func(context.Context) error {
		var err error
		keys, err = env.dump(h)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stable := map[string]bool{}
	for _, k := range keys {
		if stable[k] {
			t.Fatalf("%s twice in a dump without churn", k)
		}
		if env.churned(k) {
			t.Fatalf("churned object %s before the churn", k)
		}
		stable[k] = true
	}
	for i := 0; i < churnSlots/2; i++ {
		if err := env.add(churner, i); err != nil {
			t.Fatal(err)
		}
	}
	var (
		wg    sync.WaitGroup
		stop  = make(chan struct{})
		ops   atomic.Int64
		opErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Slot i leaves and slot i+half arrives: half the slots are
			// present at any time, and positions before and among the
			// stable objects keep shifting.
			if err := env.del(churner, i%churnSlots); err != nil {
				opErr = err
				return
			}
			if err := env.add(churner, (i+churnSlots/2)%churnSlots); err != nil {
				opErr = err
				return
			}
			ops.Add(2)
		}
	}()
	var res churnResult
	// At least dumps dumps, and more (up to 20 times as many) until the
	// churn has made a change for every other dump, so that slow changes
	// (links, IPv6 addresses) still race with the dumps.
	for res.dumps < dumps || ops.Load() < int64(dumps/2) && res.dumps < 20*dumps {
		keys, err := env.dump(h)
		flagged := errors.Is(err, wire.ErrDumpInterrupted)
		if err != nil && !flagged {
			close(stop)
			wg.Wait()
			t.Fatal(err)
		}
		res.dumps++
		if flagged {
			res.flagged++
		}
		if why := churnCheck(keys, stable, env.churned); why != "" {
			res.wrong++
			if strings.HasSuffix(why, " twice") {
				res.repeated++
			}
			if !flagged {
				res.wrongUnflagged++
				if res.example == "" {
					res.example = why
				}
			}
		}
	}
	close(stop)
	wg.Wait()
	if opErr != nil {
		t.Fatalf("churn: %v", opErr)
	}
	res.churnOps = int(ops.Load())
	t.Logf("%d dumps, %d churn operations: %d wrong (%d with a repeated object), %d flagged, %d wrong and not flagged %s",
		res.dumps, res.churnOps, res.wrong, res.repeated, res.flagged, res.wrongUnflagged, res.example)
	if res.churnOps == 0 {
		t.Fatal("the churn made no change: nothing was tested")
	}
	return res
}

// check asserts the guarantee every dump type gives: a dump that returns
// a wrong set (a stable object missing, or any object twice) ends in
// wire.ErrDumpInterrupted. With atMostOnce, no dump returns an object
// twice, flagged or not. With mayMiss, where no cheap check exists, the
// first is only logged.
func (res churnResult) check(t *testing.T, atMostOnce, mayMiss bool) {
	t.Helper()
	if res.wrongUnflagged != 0 && !mayMiss {
		t.Errorf("%d of %d dumps wrong and not flagged, such as: %s", res.wrongUnflagged, res.dumps, res.example)
	}
	if atMostOnce && res.repeated != 0 {
		t.Errorf("%d of %d dumps returned an object twice", res.repeated, res.dumps)
	}
}

// churnCheck says what is wrong with a dump's keys, or "".
func churnCheck(keys []string, stable map[string]bool, churned func(string) bool) string {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			return k + " twice"
		}
		seen[k] = true
		if !stable[k] && !churned(k) {
			return k + " unknown"
		}
	}
	for k := range stable {
		if !seen[k] {
			return k + " missing"
		}
	}
	return ""
}

// churnHandles returns a handle to dump with and one to churn with, in a
// fresh namespace with a veth pair a0/a1, a0 up.
func churnHandles(t *testing.T) (h, churner *rtm.Handle, ns *nstest.NS, a0, a1 int32) {
	t.Helper()
	h, ns = handle(t)
	churner = dialIn(t, ns.Name)
	if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "a0", Up: rtm.Some(true), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: "a1"}}}); err != nil {
		t.Fatal(err)
	}
	return h, churner, ns, index(t, h, "a0"), index(t, h, "a1")
}

// churnDumps is how many dumps a churn test makes at least.
const churnDumps = 20

// churnStable is how many stable objects a churn test puts next to the
// churned ones: enough for a dump of them to span several datagrams.
const churnStable = 3000

func addrKey(a rtm.Addr) string { return fmt.Sprintf("%d %v", a.Index(), a.Prefix()) }

// churnHost returns the i-th host (i < 65,536) of the churn tests' block
// sub of family: 10.sub.0.0/16, or fd00:sub::/32 with sub in hex.
func churnHost(family uint8, sub byte, i int) netip.Prefix {
	if family == unix.AF_INET {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, sub, byte(i >> 8), byte(i)}), 32)
	}
	return netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, 0, 0, sub, 14: byte(i >> 8), 15: byte(i)}), 128)
}

// addrChurn prepares an address churn: stable addresses of family on a0
// (churnStable for IPv4, 1,000 for IPv6), and churned ones of scope host,
// which the kernel lists ahead of the stable ones (IPv4 orders primaries
// by scope; IPv6 puts every new address first), so that each change
// shifts the positions of the stable ones.
func addrChurn(t *testing.T, h *rtm.Handle, a0 int32, family uint8, f *rtm.AddrFilter) churnEnv {
	t.Helper()
	stable := func(i int) netip.Prefix { return churnHost(family, 1, i) }
	churn := func(i int) netip.Prefix { return churnHost(family, 0xff, i) }
	n := churnStable
	if family == unix.AF_INET6 {
		// The kernel takes time quadratic in the count to add IPv6
		// addresses (2.5 s for 3,000); 1,000 still span 3 datagrams.
		n = 1000
	}
	addInBatch(t, h, n, func(bt *rtm.Batch, i int) error {
		return bt.AddrAdd(rtm.AddrSpec{Index: a0, Prefix: stable(i), Flags: unix.IFA_F_NODAD})
	})
	spec := func(i int) rtm.AddrSpec {
		return rtm.AddrSpec{Index: a0, Prefix: churn(i), Scope: unix.RT_SCOPE_HOST, Flags: unix.IFA_F_NODAD}
	}
	return churnEnv{
		dump:    func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.Addrs(ctx, f), addrKey) },
		churned: churnedKeys(func(i int) string { return fmt.Sprintf("%d %v", a0, churn(i)) }),
		add:     func(h *rtm.Handle, i int) error { return h.AddrAdd(ctx, spec(i)) },
		del:     func(h *rtm.Handle, i int) error { return h.AddrDel(ctx, spec(i)) },
	}
}

// familyIndexCases are the address and neighbour dumps churned: of each
// family, of one interface (kernel-filtered) or of all.
var familyIndexCases = []struct {
	name     string
	family   uint8
	filtered bool
}{
	{"ipv4/index", unix.AF_INET, true},
	{"ipv4/all", unix.AF_INET, false},
	{"ipv6/index", unix.AF_INET6, true},
	{"ipv6/all", unix.AF_INET6, false},
}

func TestChurnAddrs(t *testing.T) {
	for _, tc := range familyIndexCases {
		t.Run(tc.name, func(t *testing.T) {
			h, churner, _, a0, _ := churnHandles(t)
			f := &rtm.AddrFilter{Family: tc.family}
			if tc.filtered {
				f.Index = a0
			}
			env := addrChurn(t, h, a0, tc.family, f)
			runChurn(t, h, churner, env, churnDumps).check(t, true, false)
		})
	}
}

func routeKey(r rtm.Route) string { return fmt.Sprintf("%d %v %d", r.Table(), r.Dst(), r.Priority()) }

func TestChurnRoutes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		family uint8
		table  uint32
		// metrics puts 10 routes on each stable prefix, differing in
		// metric, and churns routes of a lower metric on those
		// prefixes: the kernel resumes by position among them.
		metrics bool
	}{
		{"ipv4/table", unix.AF_INET, 100, false},
		{"ipv4/all", unix.AF_INET, 0, false},
		{"ipv6/table", unix.AF_INET6, 100, false},
		{"ipv6/all", unix.AF_INET6, 0, false},
		{"ipv4/metrics", unix.AF_INET, 100, true},
		{"ipv6/metrics", unix.AF_INET6, 100, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, churner, _, a0, _ := churnHandles(t)
			dst := func(i int, churn bool) netip.Prefix {
				if churn {
					return churnHost(tc.family, 3, i)
				}
				return churnHost(tc.family, 2, i)
			}
			const perPrefix = 10
			prefixes := churnStable / perPrefix
			spec := func(i int) rtm.RouteSpec {
				if tc.metrics {
					// Slots land on distinct prefixes: 37 is prime to
					// the number of prefixes.
					return rtm.RouteSpec{Dst: dst(i*37%prefixes, false), Table: 100, OutIndex: a0, Priority: 10}
				}
				return rtm.RouteSpec{Dst: dst(i, true), Table: 100, OutIndex: a0, Priority: 100}
			}
			addInBatch(t, h, churnStable, func(bt *rtm.Batch, i int) error {
				s := rtm.RouteSpec{Dst: dst(i, false), Table: 100, OutIndex: a0, Priority: 100}
				if tc.metrics {
					s.Dst, s.Priority = dst(i/perPrefix, false), uint32(100*(1+i%perPrefix))
				}
				return bt.RouteAdd(s)
			})
			f := &rtm.RouteFilter{Family: tc.family, Table: tc.table}
			env := churnEnv{
				dump: func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.Routes(ctx, f), routeKey) },
				churned: churnedKeys(func(i int) string {
					s := spec(i)
					return fmt.Sprintf("%d %v %d", 100, s.Dst, s.Priority)
				}),
				add: func(h *rtm.Handle, i int) error { return h.RouteAdd(ctx, spec(i)) },
				del: func(h *rtm.Handle, i int) error { return h.RouteDel(ctx, spec(i)) },
			}
			// An IPv4 route listed before another to the same destination
			// and removed during the dump makes the kernel skip that
			// other one, unflagged (see Handle.Routes).
			mayMiss := tc.metrics && tc.family == unix.AF_INET
			runChurn(t, h, churner, env, churnDumps).check(t, true, mayMiss)
		})
	}
}

func neighKey(n rtm.Neigh) string { return fmt.Sprintf("%d %v %v", n.Index(), n.Dst(), n.LLAddr()) }

func TestChurnNeighs(t *testing.T) {
	for _, tc := range familyIndexCases {
		t.Run(tc.name, func(t *testing.T) {
			h, churner, _, a0, _ := churnHandles(t)
			dst := func(i int, churn bool) netip.Addr {
				if churn {
					return churnHost(tc.family, 5, i).Addr()
				}
				return churnHost(tc.family, 4, i).Addr()
			}
			mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
			addInBatch(t, h, churnStable, func(bt *rtm.Batch, i int) error {
				return bt.NeighAdd(rtm.NeighSpec{Index: a0, Dst: dst(i, false), LLAddr: mac})
			})
			spec := func(i int) rtm.NeighSpec { return rtm.NeighSpec{Index: a0, Dst: dst(i, true), LLAddr: mac} }
			f := &rtm.NeighFilter{Family: tc.family}
			if tc.filtered {
				f.Index = a0
			}
			env := churnEnv{
				dump: func(h *rtm.Handle) ([]string, error) {
					keys, err := hostile.Keys(h.Neighs(ctx, f), neighKey)
					// Neighbours the kernel makes itself (IPv6
					// multicast and router discovery) are neither
					// stable nor churned: leave them out.
					out := keys[:0]
					for _, k := range keys {
						if strings.HasSuffix(k, " "+mac.String()) {
							out = append(out, k)
						}
					}
					return out, err
				},
				churned: churnedKeys(func(i int) string { return fmt.Sprintf("%d %v %v", a0, dst(i, true), mac) }),
				add:     func(h *rtm.Handle, i int) error { return h.NeighAdd(ctx, spec(i)) },
				del:     func(h *rtm.Handle, i int) error { return h.NeighDel(ctx, spec(i)) },
			}
			runChurn(t, h, churner, env, churnDumps).check(t, true, false)
		})
	}
}

func ruleKey(r rtm.Rule) string { return fmt.Sprintf("%d %d %v", r.Family(), r.Priority(), r.Table()) }

func TestChurnRules(t *testing.T) {
	h, churner, _, _, _ := churnHandles(t)
	addInBatch(t, h, churnStable, func(bt *rtm.Batch, i int) error {
		return bt.RuleAdd(rtm.RuleSpec{Family: unix.AF_INET, Priority: rtm.Some(uint32(1000 + i)), Table: 100})
	})
	spec := func(i int) rtm.RuleSpec {
		return rtm.RuleSpec{Family: unix.AF_INET, Priority: rtm.Some(uint32(10 + i)), Table: 101}
	}
	f := &rtm.RuleFilter{Family: unix.AF_INET}
	env := churnEnv{
		dump:    func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.Rules(ctx, f), ruleKey) },
		churned: churnedKeys(func(i int) string { return fmt.Sprintf("%d %d %v", unix.AF_INET, 10+i, 101) }),
		add:     func(h *rtm.Handle, i int) error { return h.RuleAdd(ctx, spec(i)) },
		del:     func(h *rtm.Handle, i int) error { return h.RuleDel(ctx, spec(i)) },
	}
	runChurn(t, h, churner, env, churnDumps).check(t, false, false)
}

func nexthopKey(n rtm.Nexthop) string { return strconv.Itoa(int(n.ID())) }

func TestChurnNexthops(t *testing.T) {
	h, churner, _, _, _ := churnHandles(t)
	// Blackhole nexthops go through lo.
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "lo", Up: rtm.Some(true)}); err != nil {
		t.Fatal(err)
	}
	addInBatch(t, h, churnStable, func(bt *rtm.Batch, i int) error {
		return bt.NexthopAdd(rtm.NexthopSpec{ID: uint32(1000 + i), Blackhole: true})
	})
	env := churnEnv{
		dump: func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.Nexthops(ctx, nil), nexthopKey) },
		churned: func(k string) bool {
			n, _ := strconv.Atoi(k)
			return n >= 1 && n <= churnSlots
		},
		add: func(h *rtm.Handle, i int) error {
			return h.NexthopAdd(ctx, rtm.NexthopSpec{ID: uint32(1 + i), Blackhole: true})
		},
		del: func(h *rtm.Handle, i int) error { return h.NexthopDel(ctx, uint32(1+i)) },
	}
	runChurn(t, h, churner, env, churnDumps).check(t, false, false)
}

func fdbChurnKey(n rtm.Neigh) string { return fmt.Sprintf("%d %v", n.Index(), n.LLAddr()) }

func TestChurnFDB(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filter func(br, port int32) *rtm.FDBFilter
	}{
		{"port", func(_, port int32) *rtm.FDBFilter { return &rtm.FDBFilter{Index: port} }},
		{"bridge", func(br, _ int32) *rtm.FDBFilter { return &rtm.FDBFilter{MasterIndex: br} }},
		{"all", func(int32, int32) *rtm.FDBFilter { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, churner, _, _, a1 := churnHandles(t)
			if err := h.LinkAdd(ctx, rtm.LinkSpec{Name: "br0", Kind: &rtm.Bridge{}}); err != nil {
				t.Fatal(err)
			}
			br := index(t, h, "br0")
			if err := h.LinkSet(ctx, rtm.LinkSpec{Index: a1, Master: rtm.Some(br)}); err != nil {
				t.Fatal(err)
			}
			mac := func(i int, churn bool) net.HardwareAddr {
				b := byte(0x10)
				if churn {
					b = 0x20
				}
				return net.HardwareAddr{2, 0, b, 0, byte(i >> 8), byte(i)}
			}
			addInBatch(t, h, churnStable, func(bt *rtm.Batch, i int) error {
				return bt.FDBAdd(rtm.FDBSpec{Index: a1, LLAddr: mac(i, false), Flags: unix.NTF_MASTER, State: unix.NUD_NOARP | unix.NUD_REACHABLE})
			})
			spec := func(i int) rtm.FDBSpec {
				return rtm.FDBSpec{Index: a1, LLAddr: mac(i, true), Flags: unix.NTF_MASTER, State: unix.NUD_NOARP | unix.NUD_REACHABLE}
			}
			f := tc.filter(br, a1)
			env := churnEnv{
				dump:    func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.FDB(ctx, f), fdbChurnKey) },
				churned: churnedKeys(func(i int) string { return fmt.Sprintf("%d %v", a1, mac(i, true)) }),
				add:     func(h *rtm.Handle, i int) error { return h.FDBAdd(ctx, spec(i)) },
				del:     func(h *rtm.Handle, i int) error { return h.FDBDel(ctx, spec(i)) },
			}
			runChurn(t, h, churner, env, churnDumps).check(t, true, false)
		})
	}
}

func linkKey(l rtm.Link) string { return fmt.Sprintf("%d %s", l.Index(), l.Name()) }

func TestChurnLinks(t *testing.T) {
	h, churner, _, _, _ := churnHandles(t)
	const pairs = 150
	addInBatch(t, h, pairs, func(bt *rtm.Batch, i int) error {
		return bt.LinkAdd(rtm.LinkSpec{Name: fmt.Sprintf("s%d", i), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("t%d", i)}}})
	})
	env := churnEnv{
		dump: func(h *rtm.Handle) ([]string, error) { return hostile.Keys(h.Links(ctx, nil), linkKey) },
		churned: func(k string) bool {
			var idx int
			var name string
			fmt.Sscanf(k, "%d %s", &idx, &name)
			return len(name) > 1 && (name[0] == 'c' || name[0] == 'd') && name[1] >= '0' && name[1] <= '9'
		},
		add: func(h *rtm.Handle, i int) error {
			return h.LinkAdd(ctx, rtm.LinkSpec{Name: fmt.Sprintf("c%d", i), Kind: &rtm.Veth{Peer: &rtm.LinkSpec{Name: fmt.Sprintf("d%d", i)}}})
		},
		del: func(h *rtm.Handle, i int) error { return h.LinkDelByName(ctx, fmt.Sprintf("c%d", i)) },
	}
	runChurn(t, h, churner, env, churnDumps).check(t, false, false)
}
