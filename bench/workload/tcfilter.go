package workload

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os/exec"
	"sync"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// The tc filter workloads: a dump of TCFilters u32 filters on the ingress
// hook of TCDevice, and adding as many on its egress hook (then deleting
// them, untimed). Each u32 filter matches one destination address and
// selects a class; they are spread over priorities of TCFiltersPerPrio,
// since a u32 hash table numbers its nodes in 12 bits.

// TCFilters is the number of filters dumped, and added per repetition.
const TCFilters = 10000

// TCFiltersPerPrio is the number of filters of each priority.
const TCFiltersPerPrio = 1000

// TCDevice is the device of the filters, TCDevicePeer its veth peer.
const (
	TCDevice     = "tcf0"
	TCDevicePeer = "tcf1"
)

func init() {
	register("tc-filter-dump", "ipr", iprFilterDump)
	register("tc-filter-dump", "raw", rawFilterDump)
	register("tc-filter-dump", "vishvananda", vnFilterDump)
	register("tc-filter-add", "ipr", iprFilterAdd)
	register("tc-filter-add", "vishvananda", vnFilterAdd)
	register("tc-filter-add", "tc-batch", tcBatchFilterAdd)
}

// TCFilterDst is the destination the i-th filter matches.
func TCFilterDst(i int) netip.Addr {
	return addr4(172<<24 | 16<<16 | uint32(i))
}

// tcFilterSpec is the i-th filter of parent.
func tcFilterSpec(ifindex int32, parent tc.Handle, i int) tc.FilterSpec {
	sel := &tc.U32Sel{}
	sel.MatchPrefix(netip.PrefixFrom(TCFilterDst(i), 32), 16, false)
	return tc.FilterSpec{Ifindex: ifindex, Parent: parent, Priority: uint16(1 + i/TCFiltersPerPrio),
		Protocol: unix.ETH_P_IP, Options: &tc.U32{ClassID: 0x10001, Sel: sel}}
}

const (
	tcIngress = tc.Handle(0xfffffff2)
	tcEgress  = tc.Handle(0xfffffff3)
)

// tcSetup makes TCDevice with a clsact qdisc and TCFilters filters on its
// ingress hook, once per namespace.
var (
	tcSetupMu   sync.Mutex
	tcSetupDone = map[string]int32{}
)

func tcSetup(env *Env) (int32, error) {
	tcSetupMu.Lock()
	defer tcSetupMu.Unlock()
	if i, ok := tcSetupDone[env.NS]; ok {
		return i, nil
	}
	for _, args := range [][]string{
		{"ip", "-n", env.NS, "link", "add", TCDevice, "type", "veth", "peer", "name", TCDevicePeer},
		{"tc", "-n", env.NS, "qdisc", "add", "dev", TCDevice, "clsact"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("%v: %v: %s", args, err, out)
		}
	}
	h, index, err := iprDialDevice(env, TCDevice)
	if err != nil {
		return 0, err
	}
	defer h.Close()
	bt := h.NewBatch()
	for i := 0; i < TCFilters; i++ {
		if err := bt.Add(tc.FilterAdd(tcFilterSpec(index, tcIngress, i))); err != nil {
			return 0, err
		}
	}
	if _, err := bt.Run(context.Background()); err != nil {
		return 0, err
	}
	tcSetupDone[env.NS] = index
	return index, nil
}

// tcHandle sets the filters up (tcSetup) and returns their device's
// index and an rtm handle in the namespace.
func tcHandle(env *Env) (int32, *rtm.Handle, error) {
	ifindex, err := tcSetup(env)
	if err != nil {
		return 0, nil, err
	}
	h, err := iprDial(env)
	return ifindex, h, err
}

// isNode reports whether a u32 filter's handle names a node (a filter
// with keys), rather than a hash table: what every contestant counts.
func isNode(handle uint32) bool { return handle&0xfff != 0 }

func iprFilterDump(env *Env) (*Instance, error) {
	ifindex, h, err := tcHandle(env)
	if err != nil {
		return nil, err
	}
	return dumpPhase(h, h.Close, func(h *rtm.Handle) (int, error) {
		n := 0
		for f, err := range tc.Filters(context.Background(), h, tc.FilterFilter{Ifindex: ifindex, Parent: tcIngress}) {
			if err != nil {
				return 0, err
			}
			if isNode(uint32(f.Handle())) {
				sink += uint64(f.Priority()) + uint64(len(f.Options()))
				n++
			}
		}
		return n, nil
	}), nil
}

func rawFilterDump(env *Env) (*Instance, error) {
	ifindex, err := tcSetup(env)
	if err != nil {
		return nil, err
	}
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, err
	}
	req := c.header(nil, unix.RTM_GETTFILTER, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	var t [20]byte
	binary.NativeEndian.PutUint32(t[4:], uint32(ifindex))
	binary.NativeEndian.PutUint32(t[12:], uint32(tcIngress))
	req = putLen(append(req, t[:]...), 0)
	return dumpPhase(c, c.Close, func(c *rawConn) (int, error) {
		n := 0
		err := c.dump(req, func(typ uint16, d []byte) {
			if typ == unix.RTM_NEWTFILTER && len(d) >= 20 && isNode(binary.NativeEndian.Uint32(d[8:])) {
				sink += uint64(len(d))
				n++
			}
		})
		return n, err
	}), nil
}

func vnFilterDump(env *Env) (*Instance, error) {
	ifindex, err := tcSetup(env)
	if err != nil {
		return nil, err
	}
	h, ns, err := vnHandle(env)
	if err != nil {
		return nil, err
	}
	link := &netlink.Dummy{LinkAttrs: netlink.LinkAttrs{Index: int(ifindex)}}
	return dumpPhase(h, vnCloser(h, ns), func(h *netlink.Handle) (int, error) {
		fs, err := h.FilterList(link, uint32(tcIngress))
		n := 0
		for _, f := range fs {
			if isNode(f.Attrs().Handle) {
				sink += uint64(f.Attrs().Priority)
				n++
			}
		}
		return n, err
	}), nil
}

// tcAddPhases returns the add phase (add, timed) and the deletion of the
// egress hook's filters (untimed), which every contestant shares.
func tcAddPhases(env *Env, ifindex int32, h *rtm.Handle, add func() (Result, error)) []Phase {
	del := func() (Result, error) {
		err := h.Do(context.Background(), tc.FilterDel(tc.FilterSpec{Ifindex: ifindex, Parent: tcEgress}))
		return Result{Count: TCFilters}, err
	}
	return []Phase{{Name: "add", Run: add}, {Name: "del", Run: del}}
}

func iprFilterAdd(env *Env) (*Instance, error) {
	ifindex, h, err := tcHandle(env)
	if err != nil {
		return nil, err
	}
	specs := make([]tc.FilterSpec, TCFilters)
	for i := range specs {
		specs[i] = tcFilterSpec(ifindex, tcEgress, i)
	}
	add := func() (Result, error) {
		bt := h.NewBatch()
		for i := range specs {
			if err := bt.Add(tc.FilterAdd(specs[i])); err != nil {
				return Result{}, err
			}
		}
		_, err := bt.Run(context.Background())
		return Result{Count: len(specs)}, err
	}
	return &Instance{Phases: tcAddPhases(env, ifindex, h, add), Close: h.Close}, nil
}

func vnFilterAdd(env *Env) (*Instance, error) {
	ifindex, h, err := tcHandle(env)
	if err != nil {
		return nil, err
	}
	vh, ns, err := vnHandle(env)
	if err != nil {
		h.Close()
		return nil, err
	}
	filters := make([]*netlink.U32, TCFilters)
	for i := range filters {
		dst := TCFilterDst(i).As4()
		filters[i] = &netlink.U32{
			FilterAttrs: netlink.FilterAttrs{LinkIndex: int(ifindex), Parent: netlink.HANDLE_MIN_EGRESS,
				Priority: uint16(1 + i/TCFiltersPerPrio), Protocol: unix.ETH_P_IP},
			ClassId: netlink.MakeHandle(1, 1),
			Sel: &netlink.TcU32Sel{Flags: netlink.TC_U32_TERMINAL, Nkeys: 1,
				Keys: []netlink.TcU32Key{{Mask: 0xffffffff, Val: binary.NativeEndian.Uint32(dst[:]), Off: 16}}},
		}
	}
	add := func() (Result, error) {
		for _, f := range filters {
			if err := vh.FilterAdd(f); err != nil {
				return Result{}, err
			}
		}
		return Result{Count: len(filters)}, nil
	}
	return &Instance{Phases: tcAddPhases(env, ifindex, h, add), Close: func() error {
		vh.Close()
		ns.Close()
		return h.Close()
	}}, nil
}

// tcBatchFilterAdd runs "tc -batch" with one "filter add" line per filter,
// the same filters: the command line's cost, process start included.
func tcBatchFilterAdd(env *Env) (*Instance, error) {
	ifindex, h, err := tcHandle(env)
	if err != nil {
		return nil, err
	}
	var script bytes.Buffer
	for i := 0; i < TCFilters; i++ {
		fmt.Fprintf(&script, "filter add dev %s egress prio %d protocol ip u32 match ip dst %s/32 classid 1:1\n",
			TCDevice, 1+i/TCFiltersPerPrio, TCFilterDst(i))
	}
	add := func() (Result, error) {
		cmd := exec.Command("tc", "-n", env.NS, "-batch", "-")
		cmd.Stdin = bytes.NewReader(script.Bytes())
		if out, err := cmd.CombinedOutput(); err != nil {
			return Result{}, fmt.Errorf("tc -batch: %v: %s", err, out)
		}
		return Result{Count: TCFilters}, nil
	}
	return &Instance{Phases: tcAddPhases(env, ifindex, h, add), Close: h.Close}, nil
}
