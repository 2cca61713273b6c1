package ipdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/ipr-go/ipr/netns"
	"github.com/ipr-go/ipr/rtm"
)

// Mode is how changes reach the kernel, as in pyroute2's IPDB.
type Mode int

const (
	// Implicit: the first change made through the DB's own change
	// methods (db.Interface, db.Routes, ...) opens a transaction, which
	// db.Commit commits. Transactions from Begin work too. The default.
	Implicit Mode = iota
	// Explicit: changes need a transaction from Begin; the DB's own
	// change methods fail with ErrExplicit.
	Explicit
	// Direct: every change goes to the kernel at once, as a transaction
	// of its own; the first failure is kept and returned by Err and
	// Commit, and stops further changes.
	Direct
	// SnapshotMode: transactions are planned and reviewed but never
	// touch the kernel; Commit checks them against the database and
	// discards them.
	SnapshotMode
)

func (m Mode) String() string {
	switch m {
	case Implicit:
		return "implicit"
	case Explicit:
		return "explicit"
	case Direct:
		return "direct"
	case SnapshotMode:
		return "snapshot"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Errors of transactions.
var (
	ErrExplicit = errors.New("ipdb: explicit mode: changes need a transaction from Begin")
	ErrTxDone   = errors.New("ipdb: transaction already committed or dropped")
)

// Tx is a transaction: changes recorded now and applied together by
// Commit, in dependency order, or not at all. Recording methods never
// fail: a bad argument is kept and returned by Commit (and by Err), as
// bufio.Writer keeps write errors. A Tx is safe for concurrent use.
type Tx struct {
	db   *DB
	id   uint64
	mode Mode

	mu     sync.Mutex
	ops    []op
	ifaces []ifaceRef
	hooks  []CommitHook
	err    error
	done   bool
}

// ifaceRef is an interface a transaction refers to: one that exists, by
// the name it had when first named, or one the transaction creates.
type ifaceRef struct {
	name    string
	created bool
	// reuse: the transaction creates the interface unless one of its
	// name and kind exists, which it takes instead (see Tx.Ensure).
	reuse bool
	index int32 // once known
}

type opKind uint8

const (
	opCreate opKind = iota
	opTunTap
	opUp
	opMTU
	opTxQueueLen
	opAddress
	opRename
	opMaster
	opAddrAdd
	opAddrDel
	opRouteAdd
	opRouteChange
	opRouteDel
	opNextHopAdd
	opNextHopDel
	opRuleAdd
	opRuleDel
	opLinkDel
	opNeighAdd
	opNeighDel
	opNetns
	opParent
	opRouteEdit
)

// noIface is the interface of an operation that belongs to none: a route
// or a rule change. (A route added through Iface.AddRoute names its
// interface in op.dev, as the device it goes out of.)
const noIface = -1

type op struct {
	kind opKind
	// ref is the interface the op changes (an index in Tx.ifaces), or
	// noIface for a route or rule change, which belongs to no interface.
	ref   int
	other int // the master, for opMaster; -1 for none
	dev   int // interface a route goes out of, or -1
	flag  bool
	num   uint32
	hw    net.HardwareAddr
	name  string
	// The specification of the op's kind, by pointer: a transaction of
	// a thousand routes keeps a thousand route specs, not a thousand of
	// every kind.
	create *rtm.LinkSpec
	tuntap *rtm.TunTap
	addr   *rtm.AddrSpec
	route  *rtm.RouteSpec
	hop    *rtm.NextHopSpec
	rule   *rtm.RuleSpec
	neigh  *rtm.NeighSpec
	netns  *netns.Handle
	// edit changes a route's spec, for opRouteEdit (see Routes.Edit).
	edit func(*rtm.RouteSpec)
}

// Begin opens a transaction in the database's mode (an explicit one in
// Implicit and Explicit modes). Several may be open at once; each has an
// id ([Tx.ID], [DB.Tx]).
func (db *DB) Begin() *Tx {
	mode := db.opts.mode
	if mode == Implicit {
		mode = Explicit
	}
	return db.begin(mode)
}

func (db *DB) begin(mode Mode) *Tx {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.lastTx++
	tx := &Tx{db: db, id: db.lastTx, mode: mode}
	db.txs[tx.id] = tx
	return tx
}

// Last returns the open transaction begun last (pyroute2's last()), by
// Begin or by the first change of an implicit one; false if none is open.
func (db *DB) Last() (*Tx, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var last *Tx
	for _, tx := range db.txs {
		if last == nil || tx.id > last.id {
			last = tx
		}
	}
	return last, last != nil
}

// Do runs fn in a transaction of its own (see [DB.Begin]) and commits it
// if fn returns nil: pyroute2's "with ip.interfaces.eth0 as i:" for any
// set of changes. If fn returns an error, the transaction is dropped and
// Do returns the error; if fn panics, the transaction is dropped and the
// panic goes on. In Direct mode the changes were applied as fn made them,
// and only stop at the first error.
func (db *DB) Do(ctx context.Context, fn func(tx *Tx) error) error { return db.Begin().Do(ctx, fn) }

// With runs fn on the existing interface of that name in a transaction of
// its own, as [DB.Do] does: pyroute2's "with ip.interfaces.eth0 as i:".
func (db *DB) With(ctx context.Context, name string, fn func(i *Iface) error) error {
	return db.Do(ctx, func(tx *Tx) error { return fn(tx.Interface(name)) })
}

// Do runs fn on the transaction and commits it if fn returns nil. If fn
// returns an error, the transaction is dropped and Do returns the error;
// if fn panics, the transaction is dropped and the panic goes on: a
// transaction is never left open.
func (tx *Tx) Do(ctx context.Context, fn func(tx *Tx) error) (err error) {
	committing := false
	defer func() {
		if !committing {
			// fn failed or panicked: the panic, if any, goes on.
			tx.Drop()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committing = true
	return tx.Commit(ctx)
}

// Tx returns the open transaction of that id.
func (db *DB) Tx(id uint64) (*Tx, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, ok := db.txs[id]
	return tx, ok
}

// Transactions returns the ids of the open transactions, in order.
func (db *DB) Transactions() []uint64 {
	db.mu.Lock()
	defer db.mu.Unlock()
	ids := make([]uint64, 0, len(db.txs))
	for id := range db.txs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// implicit returns the transaction the DB's own change methods record
// in: in Implicit mode the current one, opened by the first change; in
// Direct mode a direct one; in Explicit mode one that refuses changes.
func (db *DB) implicit() *Tx {
	switch db.opts.mode {
	case Explicit:
		return &Tx{db: db, mode: Explicit, err: ErrExplicit}
	case Direct, SnapshotMode:
		db.mu.Lock()
		cur := db.current
		db.mu.Unlock()
		if cur == nil {
			cur = db.begin(db.opts.mode)
			db.mu.Lock()
			if db.current == nil {
				db.current = cur
			} else {
				delete(db.txs, cur.id)
				cur = db.current
			}
			db.mu.Unlock()
		}
		return cur
	}
	db.mu.Lock()
	cur := db.current
	db.mu.Unlock()
	if cur != nil {
		return cur
	}
	tx := db.begin(Implicit)
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.current != nil {
		delete(db.txs, tx.id)
		return db.current
	}
	db.current = tx
	return tx
}

// Interface starts changing an existing interface in the implicit
// transaction (see [Mode]).
func (db *DB) Interface(name string) *Iface { return db.implicit().Interface(name) }

// CreateInterface creates an interface in the implicit transaction.
func (db *DB) CreateInterface(s rtm.LinkSpec) *Iface { return db.implicit().CreateInterface(s) }

// Routes changes routes in the implicit transaction.
func (db *DB) Routes() *Routes { return db.implicit().Routes() }

// Rules changes rules in the implicit transaction.
func (db *DB) Rules() *Rules { return db.implicit().Rules() }

// Review reviews the implicit transaction.
func (db *DB) Review() Review { return db.implicit().Review() }

// Commit commits the implicit transaction; the next change opens a new
// one.
func (db *DB) Commit(ctx context.Context) error {
	tx := db.implicit()
	db.mu.Lock()
	if db.current == tx {
		db.current = nil
	}
	db.mu.Unlock()
	return tx.Commit(ctx)
}

// Drop discards the implicit transaction.
func (db *DB) Drop() {
	tx := db.implicit()
	db.mu.Lock()
	if db.current == tx {
		db.current = nil
	}
	db.mu.Unlock()
	tx.Drop()
}

// ID returns the transaction's id.
func (tx *Tx) ID() uint64 { return tx.id }

// Mode returns the transaction's mode.
func (tx *Tx) Mode() Mode { return tx.mode }

// Err returns the first error recorded: a bad argument, or in Direct
// mode the first change that failed.
func (tx *Tx) Err() error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.err
}

// OnCommit adds a hook to this transaction's commit (see [CommitHook]).
func (tx *Tx) OnCommit(h CommitHook) *Tx {
	tx.mu.Lock()
	tx.hooks = append(tx.hooks, h)
	tx.mu.Unlock()
	return tx
}

// Drop discards the transaction's changes and closes it.
func (tx *Tx) Drop() {
	tx.mu.Lock()
	tx.done = true
	tx.ops = nil
	tx.mu.Unlock()
	tx.forget()
}

func (tx *Tx) forget() {
	tx.db.mu.Lock()
	delete(tx.db.txs, tx.id)
	if tx.db.current == tx {
		tx.db.current = nil
	}
	tx.db.mu.Unlock()
}

// record adds an op; in Direct mode it applies it at once.
func (tx *Tx) record(o op, bad error) {
	tx.mu.Lock()
	if tx.err == nil && tx.done {
		tx.err = ErrTxDone
	}
	if tx.err == nil && bad != nil {
		tx.err = fmt.Errorf("ipdb: %w", bad)
	}
	if tx.err != nil {
		tx.mu.Unlock()
		return
	}
	tx.ops = append(tx.ops, o)
	direct := tx.mode == Direct
	tx.mu.Unlock()
	if direct {
		if err := tx.apply(context.Background()); err != nil {
			tx.mu.Lock()
			if tx.err == nil {
				tx.err = err
			}
			tx.mu.Unlock()
		}
	}
}

func (tx *Tx) ref(name string, created bool) int {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if !created {
		for i, r := range tx.ifaces {
			if r.name == name {
				return i
			}
		}
	}
	tx.ifaces = append(tx.ifaces, ifaceRef{name: name, created: created})
	return len(tx.ifaces) - 1
}

// Iface is an interface as a transaction changes it. Its methods record
// changes and return the Iface, so that they chain.
type Iface struct {
	tx  *Tx
	ref int
}

// Interface refers to an existing interface by its current name.
func (tx *Tx) Interface(name string) *Iface { return &Iface{tx: tx, ref: tx.ref(name, false)} }

// CreateInterface creates an interface of any kind rtm supports, from
// s (s.Name is required; s.Kind says the kind: &rtm.Bridge{},
// &rtm.Veth{...}, &rtm.Vxlan{...}, ...).
func (tx *Tx) CreateInterface(s rtm.LinkSpec) *Iface { return tx.create(s, false) }

func (tx *Tx) create(s rtm.LinkSpec, reuse bool) *Iface {
	var bad error
	if s.Name == "" {
		bad = errors.New("creating an interface needs a name")
	} else if s.Kind == nil {
		bad = fmt.Errorf("interface %s: creating an interface needs a Kind", s.Name)
	}
	i := &Iface{tx: tx, ref: tx.ref(s.Name, true)}
	if reuse {
		// Before the op is recorded: in Direct mode, recording applies it.
		tx.mu.Lock()
		tx.ifaces[i.ref].reuse = true
		tx.mu.Unlock()
	}
	tx.record(op{kind: opCreate, ref: i.ref, create: &s}, bad)
	return i
}

// Ensure creates an interface as CreateInterface does, unless one of
// s.Name and of s.Kind's kind exists when the commit plans, which the
// transaction then takes as it is (pyroute2's create(..., reuse=True)):
// the changes recorded on the Iface apply to it either way. Only the name
// and kind are compared; an interface of that name but another kind fails
// the commit, with an error matching unix.EEXIST.
func (tx *Tx) Ensure(s rtm.LinkSpec) *Iface { return tx.create(s, true) }

// CreateTunTap creates a persistent TUN or TAP device (s.Name is
// required).
func (tx *Tx) CreateTunTap(s rtm.TunTap) *Iface {
	var bad error
	if s.Name == "" {
		bad = errors.New("creating a tun/tap device needs a name")
	}
	i := &Iface{tx: tx, ref: tx.ref(s.Name, true)}
	tx.record(op{kind: opTunTap, ref: i.ref, tuntap: &s}, bad)
	return i
}

// Name returns the name the interface is referred to by in the
// transaction: its name before any rename.
func (i *Iface) Name() string {
	i.tx.mu.Lock()
	defer i.tx.mu.Unlock()
	return i.tx.ifaces[i.ref].name
}

// SetParent makes parent the lower device of the interface the
// transaction creates: a vlan's, macvlan's, macvtap's or ipvlan's link
// (rtm.LinkSpec.Parent), a tunnel's underlying device (the Dev of
// rtm.Vxlan, rtm.GRE, rtm.IPIP, rtm.SIT). parent is an
// interface of the same transaction, one it creates too or one that
// exists (pyroute2's link=interface object): its index is filled in at
// commit, once known, and an interface created on a parent created in the
// same transaction is created after it. In Direct mode, where recording
// the creation made it, SetParent fails: set rtm.LinkSpec.Parent.
func (i *Iface) SetParent(parent *Iface) *Iface {
	var bad error
	switch {
	case parent == nil || parent.tx != i.tx:
		bad = errors.New("SetParent: the parent must be an interface of the same transaction")
	case parent.ref == i.ref:
		bad = errors.New("SetParent: an interface cannot be its own parent")
	case i.tx.mode == Direct:
		bad = errors.New("SetParent: in Direct mode the interface was created when recorded; set rtm.LinkSpec.Parent instead")
	}
	other := -1
	if bad == nil {
		other = parent.ref
	}
	i.tx.record(op{kind: opParent, ref: i.ref, other: other}, bad)
	return i
}

// Up brings the interface up.
func (i *Iface) Up() *Iface { i.tx.record(op{kind: opUp, ref: i.ref, flag: true}, nil); return i }

// Down brings the interface down.
func (i *Iface) Down() *Iface { i.tx.record(op{kind: opUp, ref: i.ref, flag: false}, nil); return i }

// SetMTU sets the MTU.
func (i *Iface) SetMTU(mtu uint32) *Iface {
	i.tx.record(op{kind: opMTU, ref: i.ref, num: mtu}, invalidIf(mtu == 0, "MTU 0"))
	return i
}

// SetTxQueueLen sets the transmit queue length.
func (i *Iface) SetTxQueueLen(n uint32) *Iface {
	i.tx.record(op{kind: opTxQueueLen, ref: i.ref, num: n}, nil)
	return i
}

// SetAddress sets the link-layer address.
func (i *Iface) SetAddress(hw net.HardwareAddr) *Iface {
	i.tx.record(op{kind: opAddress, ref: i.ref, hw: append(net.HardwareAddr(nil), hw...)}, invalidIf(len(hw) == 0, "empty link-layer address"))
	return i
}

// Rename renames the interface. Later changes still refer to it through
// this Iface.
func (i *Iface) Rename(name string) *Iface {
	var bad error
	if name == "" || len(name) > 15 || strings.ContainsAny(name, "/: \t\n") {
		bad = fmt.Errorf("invalid interface name %q", name)
	}
	i.tx.record(op{kind: opRename, ref: i.ref, name: name}, bad)
	return i
}

// AddIP adds an address (192.0.2.1/24).
func (i *Iface) AddIP(p netip.Prefix) *Iface { return i.AddAddr(rtm.AddrSpec{Prefix: p}) }

// AddAddr adds an address with every setting of s; s.Index is ignored.
func (i *Iface) AddAddr(s rtm.AddrSpec) *Iface {
	i.tx.record(op{kind: opAddrAdd, ref: i.ref, addr: &s}, invalidIf(!s.Prefix.IsValid(), "invalid address prefix"))
	return i
}

// DelIP deletes an address.
func (i *Iface) DelIP(p netip.Prefix) *Iface {
	i.tx.record(op{kind: opAddrDel, ref: i.ref, addr: &rtm.AddrSpec{Prefix: p}}, invalidIf(!p.IsValid(), "invalid address prefix"))
	return i
}

// AddPort makes port a port of this interface (a bridge, bond or VRF).
func (i *Iface) AddPort(port *Iface) *Iface {
	ref, bad := i.portRef("AddPort", port)
	i.tx.record(op{kind: opMaster, ref: ref, other: i.ref}, bad)
	return i
}

// DelPort releases port from this interface.
func (i *Iface) DelPort(port *Iface) *Iface {
	ref, bad := i.portRef("DelPort", port)
	i.tx.record(op{kind: opMaster, ref: ref, other: -1}, bad)
	return i
}

// invalidIf returns the error msg says when bad is true, for the
// recorders that refuse an argument by one check.
func invalidIf(bad bool, msg string) error {
	if bad {
		return errors.New(msg)
	}
	return nil
}

// portRef returns port's reference in the transaction, or -1 and an
// error naming method when port is not an interface of the same one.
func (i *Iface) portRef(method string, port *Iface) (int, error) {
	if port == nil || port.tx != i.tx {
		return -1, errors.New(method + ": the port must be an interface of the same transaction")
	}
	return port.ref, nil
}

// AddRoute adds a route out of this interface (its OutIndex is set at
// commit, once the interface exists).
func (i *Iface) AddRoute(s rtm.RouteSpec) *Iface {
	i.tx.record(op{kind: opRouteAdd, ref: noIface, route: &s, dev: i.ref}, checkRoute(s))
	return i
}

// AddNeigh adds a neighbour (an ARP or NDP entry) on this interface
// with every setting of s (permanent unless s.State says otherwise);
// s.Index is ignored.
func (i *Iface) AddNeigh(s rtm.NeighSpec) *Iface {
	i.tx.record(op{kind: opNeighAdd, ref: i.ref, neigh: &s}, invalidIf(!s.Dst.IsValid(), "neighbour without an address"))
	return i
}

// DelNeigh deletes the neighbour of this interface with that address.
func (i *Iface) DelNeigh(dst netip.Addr) *Iface {
	i.tx.record(op{kind: opNeighDel, ref: i.ref, neigh: &rtm.NeighSpec{Dst: dst}}, invalidIf(!dst.IsValid(), "neighbour without an address"))
	return i
}

// SetNetns moves the interface into the network namespace target refers
// to (pyroute2's net_ns_fd), after every other change of the transaction
// but removals. target must stay open until the commit returns. The
// kernel takes the interface's addresses and routes away and brings it
// down; a rollback moves it back, under the name it had, and restores
// its state, addresses and routes.
func (i *Iface) SetNetns(target *netns.Handle) *Iface {
	i.tx.record(op{kind: opNetns, ref: i.ref, netns: target}, invalidIf(target == nil || target.Fd() < 0, "SetNetns: no namespace"))
	return i
}

// Remove deletes the interface. Deletions cannot be undone, so they are
// applied last, after every other change of the transaction.
func (i *Iface) Remove() *Iface { i.tx.record(op{kind: opLinkDel, ref: i.ref}, nil); return i }

// Routes records route changes of a transaction.
type Routes struct{ tx *Tx }

// Routes returns the transaction's route changes.
func (tx *Tx) Routes() *Routes { return &Routes{tx} }

func checkRoute(s rtm.RouteSpec) error {
	if !s.Dst.IsValid() {
		return errors.New("route without a destination (0.0.0.0/0 or ::/0 for a default route)")
	}
	return nil
}

// Add adds a route.
func (r *Routes) Add(s rtm.RouteSpec) *Routes {
	r.tx.record(op{kind: opRouteAdd, ref: noIface, route: &s, dev: -1}, checkRoute(s))
	return r
}

// Change replaces the route in s's slot (destination, table, TOS and
// priority) by s: gateway, device, metrics, next hops. The route must
// exist.
func (r *Routes) Change(s rtm.RouteSpec) *Routes {
	r.tx.record(op{kind: opRouteChange, ref: noIface, route: &s, dev: -1}, checkRoute(s))
	return r
}

// Edit changes the route key designates (as Remove finds it: by
// destination and table, and by every other key field key sets) in place:
// at commit, edit receives the route's spec as the database holds it then
// (see [RouteSpecOf]) and changes the fields it wants; the route is then
// changed to that spec, as Change does. This is pyroute2's
// "with ip.routes['10.0.0.0/24'] as r: r.gateway = ...". edit must not
// change what places the route (destination, table, TOS, priority): that
// fails the commit. It may be called more than once (by Review, Plan and
// Commit), and must do nothing but change the spec.
func (r *Routes) Edit(key rtm.RouteSpec, edit func(*rtm.RouteSpec)) *Routes {
	bad := checkRoute(key)
	if bad == nil && edit == nil {
		bad = errors.New("Routes.Edit without an edit function")
	}
	r.tx.record(op{kind: opRouteEdit, ref: noIface, route: &key, edit: edit, dev: -1}, bad)
	return r
}

// Remove deletes the first route s matches (by destination and table,
// and by every other key field s sets: priority, TOS, gateway, device).
func (r *Routes) Remove(s rtm.RouteSpec) *Routes {
	r.tx.record(op{kind: opRouteDel, ref: noIface, route: &s, dev: -1}, checkRoute(s))
	return r
}

// AddNextHop adds a hop to the route in s's slot, making it multipath.
func (r *Routes) AddNextHop(s rtm.RouteSpec, nh rtm.NextHopSpec) *Routes {
	r.tx.record(op{kind: opNextHopAdd, ref: noIface, route: &s, hop: &nh, dev: -1}, checkRoute(s))
	return r
}

// DelNextHop removes the hop through gw (and index, if not zero) from the
// multipath route in s's slot.
func (r *Routes) DelNextHop(s rtm.RouteSpec, gw netip.Addr, index int32) *Routes {
	r.tx.record(op{kind: opNextHopDel, ref: noIface, route: &s, hop: &rtm.NextHopSpec{Gateway: gw, OutIndex: index}, dev: -1}, checkRoute(s))
	return r
}

// Rules records rule changes of a transaction.
type Rules struct{ tx *Tx }

// Rules returns the transaction's rule changes.
func (tx *Tx) Rules() *Rules { return &Rules{tx} }

// Add adds a rule.
func (r *Rules) Add(s rtm.RuleSpec) *Rules {
	r.tx.record(op{kind: opRuleAdd, ref: noIface, rule: &s}, nil)
	return r
}

// Remove deletes the first rule (by priority) that matches every field
// s sets.
func (r *Rules) Remove(s rtm.RuleSpec) *Rules {
	r.tx.record(op{kind: opRuleDel, ref: noIface, rule: &s}, nil)
	return r
}
