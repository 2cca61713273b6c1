package ipdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ErrClosed is returned by calls on a closed DB.
var ErrClosed = errors.New("ipdb: database closed")

// DB mirrors the kernel's links, addresses, routes, rules and neighbours
// of one network namespace, and changes them in transactions. It is safe
// for concurrent use.
type DB struct {
	h    *rtm.Handle
	opts options

	mu      sync.Mutex
	mon     *rtm.Monitor // replaced after an overrun (see resubscribe)
	st      *state
	snap    *Snapshot     // the frozen current state, nil once it changed
	changed chan struct{} // closed at the next change, if anyone waits
	err     error         // why the event reader stopped, if it did
	// barriers are the monitor syncs that commits wait for, in the
	// order they were sent.
	barriers []barrier
	txs      map[uint64]*Tx
	lastTx   uint64
	current  *Tx // the implicit transaction

	cbmu sync.Mutex
	pre  []*PreRewriter
	post []*PostCallback

	queue      postQueue
	cancel     context.CancelFunc
	readerDone chan struct{}
	postDone   chan struct{}
	closed     atomic.Bool
	closeOnce  sync.Once

	overruns, resyncs, resyncFailures, panics, events atomic.Uint64

	// loadFault, if set (by tests, while the reader runs: hence atomic),
	// fails a Resync's load with its error: the churn that makes dumps
	// inconsistent cannot be had on demand.
	loadFault atomic.Pointer[func() error]
}

// Option configures [Open].
type Option func(*options) error

type options struct {
	mode      Mode
	monitor   []rtm.MonitorOption
	onError   func(error)
	hooks     []CommitHook
	pre       []PreRewriter
	post      []PostCallback
	mirrorAll bool
	scope     scope
}

// WithMode sets the transaction mode (default [Implicit]).
func WithMode(m Mode) Option {
	return func(o *options) error {
		if m < Implicit || m > SnapshotMode {
			return fmt.Errorf("ipdb: unknown mode %d", m)
		}
		o.mode = m
		return nil
	}
}

// WithMonitorOptions passes options to the event subscription, such as
// rtm.WithMonitorBuffer.
func WithMonitorOptions(opts ...rtm.MonitorOption) Option {
	return func(o *options) error { o.monitor = append(o.monitor, opts...); return nil }
}

// WithErrorHandler receives what the database cannot return to a caller:
// callbacks that panicked (as *CallbackPanic), the automatic
// resynchronisations that failed (see [EventResyncFailed]) and the error
// that stopped the event reader. It runs on the goroutine that found the
// error.
func WithErrorHandler(f func(error)) Option {
	return func(o *options) error { o.onError = f; return nil }
}

// WithCommitHook adds a hook that every transaction's commit calls (see
// [CommitHook]).
func WithCommitHook(h CommitHook) Option {
	return func(o *options) error { o.hooks = append(o.hooks, h); return nil }
}

// WithPreCallback registers a pre callback from the first event on.
func WithPreCallback(f PreCallback) Option {
	return func(o *options) error { o.pre = append(o.pre, keepOrDrop(f)); return nil }
}

// WithPreRewriter registers a pre callback that may rewrite events (see
// [PreRewriter]) from the first event on.
func WithPreRewriter(f PreRewriter) Option {
	return func(o *options) error { o.pre = append(o.pre, f); return nil }
}

// keepOrDrop turns a pre callback into a rewriter that rewrites nothing.
func keepOrDrop(f PreCallback) PreRewriter {
	return func(e Event) (Event, bool) { return e, f(e) }
}

// WithPostCallback registers a post callback from the first event on.
func WithPostCallback(f PostCallback) Option {
	return func(o *options) error { o.post = append(o.post, f); return nil }
}

// Open subscribes to the namespace's RTNL events, loads its links,
// addresses, routes (of every table), rules and neighbours, and starts
// applying the events, those that arrived during the load included, so
// that no change is missed. ctx bounds the load; the database then lives
// until Close. h stays the caller's: Close does not close it.
//
// [WithKinds], [WithRouteTables] and [WithoutRouteTables] limit what it
// loads and follows. Each table is read in one consistent dump; when the
// kernel's dumps of one stay inconsistent under concurrent changes, Open
// fails with an error matching [ErrInconsistent] rather than return a
// database with a table it did not load.
func Open(ctx context.Context, h *rtm.Handle, opts ...Option) (*DB, error) {
	db := &DB{h: h, txs: map[uint64]*Tx{}, readerDone: make(chan struct{}), postDone: make(chan struct{})}
	for _, opt := range opts {
		if err := opt(&db.opts); err != nil {
			return nil, err
		}
	}
	if db.opts.scope.kinds == 0 {
		db.opts.scope.kinds = AllKinds
	}
	for _, f := range db.opts.pre {
		db.AddPreRewriter(f)
	}
	for _, f := range db.opts.post {
		db.AddPostCallback(f)
	}
	// Subscribing before dumping: whatever changes during the dumps is
	// queued in the monitor's socket and applied after them.
	mon, err := db.subscribe()
	if err != nil {
		return nil, err
	}
	db.mon = mon
	st, err := load(ctx, h, 1, &db.opts.scope)
	if err != nil {
		mon.Close()
		return nil, err
	}
	db.st = st
	db.queue.cond.L = &db.queue.mu
	rctx, cancel := context.WithCancel(context.Background())
	db.cancel = cancel
	go db.read(rctx)
	go db.dispatch()
	return db, nil
}

// subscribe opens a subscription to the groups the database follows.
func (db *DB) subscribe() (*rtm.Monitor, error) {
	mon, err := db.h.Monitor(db.opts.scope.groups(), db.opts.monitor...)
	if err != nil {
		return nil, fmt.Errorf("ipdb: %w", err)
	}
	return mon, nil
}

// Close stops the database: its event subscription and goroutines end
// before Close returns. Post callbacks not yet run are dropped. Open
// transactions can no longer commit. Close is safe to call more than once.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.closed.Store(true)
		db.cancel()
		// The reader installs a new monitor only if it finds the
		// database open, under mu: this closes the last one.
		db.mu.Lock()
		mon := db.mon
		db.mu.Unlock()
		mon.Close()
		<-db.readerDone
		db.queue.close()
		<-db.postDone
		db.mu.Lock()
		if db.changed != nil {
			close(db.changed)
			db.changed = nil
		}
		db.releaseLocked(nil)
		db.mu.Unlock()
	})
	return nil
}

// Handle returns the handle the database was opened on.
func (db *DB) Handle() *rtm.Handle { return db.h }

// Snapshot returns the current state. A Snapshot never changes: read it
// from any number of goroutines while the database goes on. Taking one
// costs a few kilobytes, and nothing when nothing changed since the last.
func (db *DB) Snapshot() *Snapshot {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.snap == nil {
		db.snap = &Snapshot{st: db.st.freeze(), sc: db.opts.scope}
	}
	return db.snap
}

// Err returns the error that stopped the event reader, or nil while the
// database is following the kernel.
func (db *DB) Err() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.err
}

// Wait waits until cond holds for the current state, re-evaluating it
// after each change the database applies (no polling). It returns ctx's
// error if ctx ends first, and the reader's error if the database stops
// following the kernel.
func (db *DB) Wait(ctx context.Context, cond func(*Snapshot) bool) error {
	if ctx == nil {
		return errNilContext
	}
	for {
		db.mu.Lock()
		if db.changed == nil {
			db.changed = make(chan struct{})
		}
		ch, err := db.changed, db.err
		db.mu.Unlock()
		if cond(db.Snapshot()) {
			return nil
		}
		if err != nil {
			return err
		}
		if db.closed.Load() {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Stats counts what the database went through.
type Stats struct {
	// Events is the number of notifications applied.
	Events uint64
	// Overruns is the number of times the kernel dropped notifications
	// because the reader fell behind, and Resyncs the number of full
	// resynchronisations (one per overrun, and any the caller asked for).
	Overruns, Resyncs uint64
	// ResyncFailures is the number of automatic resynchronisations that
	// failed and were tried again (see [EventResyncFailed]).
	ResyncFailures uint64
	// CallbackPanics is the number of callbacks that panicked.
	CallbackPanics uint64
}

// Stats returns the database's counters.
func (db *DB) Stats() Stats {
	return Stats{Events: db.events.Load(), Overruns: db.overruns.Load(), Resyncs: db.resyncs.Load(),
		ResyncFailures: db.resyncFailures.Load(), CallbackPanics: db.panics.Load()}
}

// AddPreCallback registers a pre callback and returns a function that
// unregisters it.
func (db *DB) AddPreCallback(f PreCallback) (remove func()) {
	return db.AddPreRewriter(keepOrDrop(f))
}

// AddPreRewriter registers a pre callback that may rewrite events (see
// [PreRewriter]) and returns a function that unregisters it.
func (db *DB) AddPreRewriter(f PreRewriter) (remove func()) { return register(db, &db.pre, f) }

// AddPostCallback registers a post callback and returns a function that
// unregisters it.
func (db *DB) AddPostCallback(f PostCallback) (remove func()) { return register(db, &db.post, f) }

// register adds the callback f to *list under db.cbmu, in a new slice
// (readers hold the old one), and returns the function that removes it.
func register[T any](db *DB, list *[]*T, f T) (remove func()) {
	p := &f
	db.cbmu.Lock()
	*list = append((*list)[:len(*list):len(*list)], p)
	db.cbmu.Unlock()
	return func() {
		db.cbmu.Lock()
		*list = without(*list, p)
		db.cbmu.Unlock()
	}
}

// without returns s without p, in a new slice: readers hold the old one.
func without[T any](s []*T, p *T) []*T {
	out := make([]*T, 0, len(s))
	for _, x := range s {
		if x != p {
			out = append(out, x)
		}
	}
	return out
}

func (db *DB) report(err error) {
	var p *CallbackPanic
	if errors.As(err, &p) {
		db.panics.Add(1)
	}
	if db.opts.onError != nil {
		db.opts.onError(err)
	}
}

// changedLocked records a change: the cached snapshot is stale and
// waiters wake up. db.mu is held.
func (db *DB) changedLocked() {
	db.snap = nil
	if db.changed != nil {
		close(db.changed)
		db.changed = nil
	}
}

// read applies events until Close.
func (db *DB) read(ctx context.Context) {
	defer close(db.readerDone)
	for {
		err := db.follow(ctx)
		if err == nil || errors.Is(err, errResync) {
			if err == nil {
				db.overruns.Add(1)
			}
			err = db.recoverOverrun(ctx)
		}
		if err != nil {
			if ctx.Err() == nil {
				db.stop(err)
			}
			return
		}
	}
}

// errResync ends follow when the database must resynchronise: a part of
// the state it had to read again could not be read consistently.
var errResync = errors.New("ipdb: resynchronisation needed")

// The pauses between the automatic resynchronisations that fail: they
// double from the first to the last, which then repeats until one
// succeeds or the database closes.
const (
	firstResyncPause = 10 * time.Millisecond
	lastResyncPause  = time.Second
)

// EventResyncFailed is the Type of the event that reports an automatic
// resynchronisation that failed (after an overrun, the kernel's dumps
// stayed inconsistent under concurrent changes): Err says why. It is no
// RTNL message type. The database keeps its previous state, which may
// miss changes, and tries again after a pause (of 10 ms, doubling up to
// a second) until it succeeds or closes; meanwhile Sync waits.
const EventResyncFailed uint16 = 0xffff

// recoverOverrun recovers from an overrun: it subscribes afresh and
// resynchronises (see resubscribe) until that succeeds, posting each
// failure as an EventResyncFailed event. It gives up on errors that
// trying again cannot cure, and when ctx ends.
func (db *DB) recoverOverrun(ctx context.Context) error {
	pause := firstResyncPause
	for {
		err := db.resubscribe(ctx)
		if err == nil || ctx.Err() != nil || !transient(err) {
			return err
		}
		db.resyncFailures.Add(1)
		db.queue.push(Event{Type: EventResyncFailed, Synthetic: true, Err: err})
		db.report(err)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		pause = min(2*pause, lastResyncPause)
	}
}

// transient reports an error that a later attempt may not meet: dumps
// made inconsistent by concurrent changes, a socket short of memory.
func transient(err error) bool {
	return errors.Is(err, ErrInconsistent) || errors.Is(err, unix.ENOBUFS) || errors.Is(err, unix.ENOMEM)
}

// follow applies the current monitor's events. It returns nil at an
// overrun, and the error that ended the stream otherwise.
func (db *DB) follow(ctx context.Context) error {
	db.mu.Lock()
	mon := db.mon
	db.mu.Unlock()
	for ev, err := range mon.Events(ctx) {
		if err != nil {
			return err
		}
		if ev.Overrun {
			return nil
		}
		if ev.Sync != 0 {
			db.passed(mon, ev.Sync)
			continue
		}
		e, keep := db.filter(Event{Type: ev.Type, Header: ev.Header, Data: bytes.Clone(ev.Data)})
		if !keep {
			continue
		}
		db.mu.Lock()
		applied, follow := db.apply(e)
		if len(applied) > 0 {
			db.changedLocked()
		}
		db.mu.Unlock()
		db.events.Add(1)
		db.queue.push(applied...)
		for _, f := range follow {
			if err := db.reconcile(ctx, f); err != nil {
				return err
			}
		}
	}
	return errors.New("ipdb: the event stream ended")
}

// resubscribe recovers from an overrun: it replaces the monitor and
// resynchronises. The kernel reports an overrun once, and drops the
// notifications that overflow the socket's queue without a word until
// the queue has been drained; the queue also holds notifications older
// than any dump taken now. A fresh subscription starts empty: taken
// before the dumps, as at Open, it misses nothing.
func (db *DB) resubscribe(ctx context.Context) error {
	mon, err := db.subscribe()
	if err != nil {
		return err
	}
	db.mu.Lock()
	if db.closed.Load() {
		db.mu.Unlock()
		mon.Close()
		return ErrClosed
	}
	old := db.mon
	db.mon = mon
	db.mu.Unlock()
	old.Close()
	return db.Resync(ctx)
}

// barrier is a monitor sync a commit waits for (see catchUp).
type barrier struct {
	mon  *rtm.Monitor
	id   uint32
	done chan struct{}
}

// errNilContext is returned, before anything is done, by every call given
// a nil context.
var errNilContext = errors.New("ipdb: nil context")

// Sync returns once the database has applied every notification the
// kernel had queued when Sync was called: the effects of changes already
// acknowledged to whoever made them, such as an ip command that has
// returned, and what the database reads again because of them. A Snapshot
// taken afterwards shows them. Sync returns at once if the database has
// stopped following the kernel (see Err).
func (db *DB) Sync(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if err := db.barrier(ctx); err != nil {
		return fmt.Errorf("ipdb: waiting for the database to catch up: %w", err)
	}
	return nil
}

// catchUp returns once the database has applied every notification the
// kernel queued before the call: those of the changes just acknowledged,
// with what the database reads again because of them. It returns at
// once if the database stopped following the kernel.
func (db *DB) catchUp(ctx context.Context) error {
	if err := db.barrier(ctx); err != nil {
		return fmt.Errorf("ipdb: changes applied, but the database did not show them: %w", err)
	}
	return nil
}

// barrier returns once the database has applied every notification the
// kernel queued before the call, or at once if the database stopped
// following the kernel. Its errors are the monitor's or ctx's, bare.
func (db *DB) barrier(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	db.mu.Lock()
	if db.err != nil || db.closed.Load() {
		db.mu.Unlock()
		return nil
	}
	// Sent under mu, so that the reader, which takes mu to release it,
	// finds it registered however soon the answer comes.
	id, err := db.mon.Sync()
	if err != nil {
		db.mu.Unlock()
		return err
	}
	b := barrier{mon: db.mon, id: id, done: make(chan struct{})}
	db.barriers = append(db.barriers, b)
	db.mu.Unlock()
	select {
	case <-b.done:
		return nil
	case <-ctx.Done():
		db.mu.Lock()
		db.barriers = slices.DeleteFunc(db.barriers, func(x barrier) bool { return x.done == b.done })
		db.mu.Unlock()
		return ctx.Err()
	}
}

// passed releases the barriers of mon up to the one of that id: the
// kernel answers a socket's requests in order.
func (db *DB) passed(mon *rtm.Monitor, id uint32) {
	db.mu.Lock()
	defer db.mu.Unlock()
	i := slices.IndexFunc(db.barriers, func(b barrier) bool { return b.mon == mon && b.id == id })
	if i < 0 {
		return
	}
	upTo := db.barriers[i].done
	released := false
	db.releaseLocked(func(b barrier) bool {
		if released {
			return false
		}
		released = b.done == upTo
		return b.mon == mon
	})
}

// releaseLocked releases the barriers that which selects (all if which is
// nil), in order. db.mu is held.
func (db *DB) releaseLocked(which func(barrier) bool) {
	db.barriers = slices.DeleteFunc(db.barriers, func(b barrier) bool {
		if which == nil || which(b) {
			close(b.done)
			return true
		}
		return false
	})
}

func (db *DB) stop(err error) {
	db.mu.Lock()
	db.err = fmt.Errorf("ipdb: event reader stopped: %w", err)
	db.changedLocked()
	db.releaseLocked(nil)
	db.mu.Unlock()
	db.report(err)
}

// filter runs the pre callbacks: it returns the event as they rewrote
// it, and false if one dropped it.
func (db *DB) filter(e Event) (Event, bool) {
	db.cbmu.Lock()
	pre := db.pre
	db.cbmu.Unlock()
	for _, f := range pre {
		keep := true
		next := e
		if err := protect(e, func() { next, keep = (*f)(e) }); err != nil {
			db.report(err)
			continue
		}
		if !keep {
			return e, false
		}
		if !parses(next) {
			db.report(fmt.Errorf("ipdb: a pre callback rewrote %v into a malformed message of type %d; the rewrite is ignored", e, next.Type))
			continue
		}
		e = next
	}
	return e, true
}

// followUp is a part of the kernel's state that changed without notice
// and must be read again: routes that the filter selects and match
// accepts.
type followUp struct {
	filter rtm.RouteFilter
	match  func(rtm.Route) bool
	// link, if not zero, asks for that link to be read again instead:
	// its bridge-port state or its veth peer changed without a
	// notification of its own.
	link int32
}

// linkStateFlags are the flags whose change makes the kernel drop or
// flag routes silently.
const linkStateFlags = unix.IFF_UP | unix.IFF_LOWER_UP | unix.IFF_RUNNING

// apply applies one notification to db.st, with db.mu held, and returns
// the events applied (the notification and what it implied) and what must
// be read again.
func (db *DB) apply(e Event) (applied []Event, follow []followUp) {
	st := db.st
	a := heap{}
	sc := &db.opts.scope
	routes := sc.has(KindRoutes)
	switch e.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		l, err := rtm.LinkFromBytes(e.Data)
		if err != nil {
			return nil, nil
		}
		if l.Family() != unix.AF_UNSPEC {
			// A bridge port's view (AF_BRIDGE): the port's state
			// changed, and its own link message did not say so.
			return nil, []followUp{{link: l.Index()}}
		}
		if e.Type == unix.RTM_DELLINK {
			_, gone := st.delLink(l.Index())
			return append(gone, e), nil
		}
		old := st.setLink(a, l)
		if _, other := l.LinkNetnsID(); old == nil && l.ParentIndex() != 0 && !other {
			// The first end of a veth pair was notified before its
			// peer existed.
			follow = append(follow, followUp{link: l.ParentIndex()})
		}
		if old != nil && routes {
			ol, _ := rtm.LinkFromBytes(old)
			if ol.Flags()&linkStateFlags != l.Flags()&linkStateFlags {
				// Going down flushes IPv4 routes through the link, and
				// losing the carrier flags them, without notifications.
				index := l.Index()
				follow = append(follow, followUp{
					filter: rtm.RouteFilter{OutIndex: index},
					match:  func(r rtm.Route) bool { return usesDevice(r, index) },
				})
			}
		}
		return []Event{e}, follow
	case unix.RTM_NEWADDR:
		ad, err := rtm.AddrFromBytes(e.Data)
		if err != nil || !sc.has(KindAddrs) {
			return nil, nil
		}
		st.setAddr(a, ad)
		return []Event{e}, nil
	case unix.RTM_DELADDR:
		ad, err := rtm.AddrFromBytes(e.Data)
		if err != nil || !sc.has(KindAddrs) {
			return nil, nil
		}
		st.delAddr(ad)
		if ad.Family() == unix.AF_INET {
			// The kernel flushes the routes that had the address as
			// preferred source, without notifications.
			local := ad.IP()
			if st.prefsrc[local] > 0 {
				follow = append(follow, followUp{
					filter: rtm.RouteFilter{Family: unix.AF_INET},
					match:  func(r rtm.Route) bool { return r.PrefSrc() == local },
				})
			}
		}
		return []Event{e}, follow
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		r, err := rtm.RouteFromBytes(e.Data)
		if err != nil || !sc.route(r) {
			return nil, nil
		}
		if e.Type == unix.RTM_NEWROUTE {
			st.setRoute(a, r, e.Header.Flags)
			return []Event{e}, nil
		}
		if _, ambiguous := st.delRoute(r); ambiguous {
			key := prefixKeyOf(r)
			follow = append(follow, followUp{
				filter: rtm.RouteFilter{Family: r.Family(), Table: r.Table()},
				match:  func(x rtm.Route) bool { return prefixKeyOf(x) == key },
			})
		}
		return []Event{e}, follow
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH:
		n, err := rtm.NeighFromBytes(e.Data)
		if err != nil || !sc.has(KindNeighs) || !mirroredNeigh(n) {
			return nil, nil
		}
		if e.Type == unix.RTM_NEWNEIGH {
			st.setNeigh(a, n)
		} else {
			st.delNeigh(n)
		}
		return []Event{e}, nil
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		if !sc.has(KindRules) {
			return nil, nil
		}
		if e.Type == unix.RTM_NEWRULE {
			st.setRule(e.Data)
		} else {
			st.delRule(e.Data)
		}
		return []Event{e}, nil
	}
	return nil, nil
}

// reconcile reads again the routes f selects, replaces the cached ones
// with them and posts the differences.
func (db *DB) reconcile(ctx context.Context, f followUp) error {
	if f.link != 0 {
		return db.refreshLink(ctx, f.link)
	}
	var fresh [][]byte
	var sl slab
	err := consistent(ctx, "routes", func() error {
		fresh = fresh[:0]
		for r, err := range db.h.Routes(ctx, &f.filter) {
			if err != nil {
				return err
			}
			if db.mirrorsRoute(r) && f.match(r) {
				fresh = append(fresh, clone(&sl, r.Bytes()))
			}
		}
		return nil
	})
	if errors.Is(err, unix.ENODEV) {
		// The link went away meanwhile: its routes went with it, and its
		// deletion is on its way.
		fresh, err = nil, nil
	}
	if errors.Is(err, ErrInconsistent) {
		// The routes could not be read again consistently: the whole
		// state will be, with the same care as after an overrun.
		return fmt.Errorf("%w: %w", errResync, err)
	}
	if err != nil {
		return err
	}
	db.mu.Lock()
	st := db.st
	gone := st.removeRoutes(f.match)
	for _, m := range fresh {
		if r, err := rtm.RouteFromBytes(m); err == nil {
			st.setRoute(heap{}, r, 0)
		}
	}
	evs := diffRoutes(gone, fresh)
	if len(evs) > 0 {
		db.changedLocked()
	}
	db.mu.Unlock()
	db.queue.push(evs...)
	return nil
}

// refreshLink reads one link again and posts it if it changed.
func (db *DB) refreshLink(ctx context.Context, index int32) error {
	l, err := db.h.LinkByIndex(ctx, index)
	if errors.Is(err, rtm.ErrNotFound) {
		return nil // deleted meanwhile; its deletion is on its way
	}
	if err != nil {
		return err
	}
	db.mu.Lock()
	old, _ := db.st.links.get(indexKey(index))
	changed := old == nil || !sameLink(old, l.Bytes())
	if changed {
		db.st.setLink(heap{}, l)
		db.changedLocked()
	}
	db.mu.Unlock()
	if changed {
		db.queue.push(Event{Type: unix.RTM_NEWLINK, Data: l.Bytes(), Synthetic: true})
	}
	return nil
}

type routeIdent struct {
	key prefixKey
	id  routeID
}

func identOf(m []byte) routeIdent {
	r, _ := rtm.RouteFromBytes(m)
	return routeIdent{prefixKeyOf(r), idOf(r)}
}

// diffRoutes returns the events that turn the routes before (as removal
// events) into the routes after.
func diffRoutes(before []Event, after [][]byte) []Event {
	old := make(map[routeIdent][]byte, len(before))
	for _, e := range before {
		old[identOf(e.Data)] = e.Data
	}
	var evs []Event
	seen := make(map[routeIdent]bool, len(after))
	for _, m := range after {
		id := identOf(m)
		seen[id] = true
		if o, ok := old[id]; ok && sameContent(o, m, unix.SizeofRtMsg, routeVolatile...) {
			continue
		}
		evs = append(evs, Event{Type: unix.RTM_NEWROUTE, Data: m, Synthetic: true})
	}
	var dels []Event
	for _, e := range before {
		if !seen[identOf(e.Data)] {
			dels = append(dels, e)
		}
	}
	return append(dels, evs...)
}

// Resync reads the kernel's whole state again, replaces the cached state
// with it and posts the differences as synthetic events. The database
// does this by itself after an overrun; call it to check the mirror.
// When the kernel's dumps stay inconsistent under concurrent changes,
// Resync returns an error matching [ErrInconsistent] and the database
// keeps its previous state.
func (db *DB) Resync(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if db.closed.Load() {
		return ErrClosed
	}
	if fault := db.loadFault.Load(); fault != nil {
		if err := (*fault)(); err != nil {
			return err
		}
	}
	fresh, err := load(ctx, db.h, 0, &db.opts.scope)
	if err != nil {
		return err
	}
	db.mu.Lock()
	evs := diffStates(db.st, fresh)
	// fresh's shards belong to no snapshot yet: they are writable at
	// fresh's generation.
	db.st = fresh
	db.changedLocked()
	// The state was read after every sync sent on an earlier monitor,
	// whose answers that monitor may have dropped.
	mon := db.mon
	db.releaseLocked(func(b barrier) bool { return b.mon != mon })
	// Counted before anyone waiting for the change can see it.
	db.resyncs.Add(1)
	db.mu.Unlock()
	db.queue.push(evs...)
	return nil
}

// postQueue is an unbounded queue of events for the post callbacks, so
// that the reader never waits for them.
type postQueue struct {
	mu     sync.Mutex
	cond   sync.Cond
	items  []Event
	closed bool
}

func (q *postQueue) push(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	q.mu.Lock()
	// The dispatcher waits only for an empty queue: a thousand events
	// in a row wake it once, not a thousand times.
	wake := len(q.items) == 0
	q.items = append(q.items, evs...)
	q.mu.Unlock()
	if wake {
		q.cond.Signal()
	}
}

func (q *postQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Signal()
}

// dispatch runs the post callbacks until Close.
func (db *DB) dispatch() {
	defer close(db.postDone)
	q := &db.queue
	for {
		q.mu.Lock()
		for len(q.items) == 0 && !q.closed {
			q.cond.Wait()
		}
		if q.closed {
			q.items = nil
			q.mu.Unlock()
			return
		}
		batch := q.items
		q.items = nil
		q.mu.Unlock()
		for _, e := range batch {
			if db.closed.Load() {
				break
			}
			db.cbmu.Lock()
			post := db.post
			db.cbmu.Unlock()
			for _, f := range post {
				if err := protect(e, func() { (*f)(e) }); err != nil {
					db.report(err)
				}
			}
		}
	}
}

// addrPrefix is the prefix of an address message, peer-aware.
func addrPrefix(a rtm.Addr) netip.Prefix { return netip.PrefixFrom(a.IP(), a.PrefixLen()) }
