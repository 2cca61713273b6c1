package ipdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Step is one change of a commit, in the order Commit applies them.
type Step struct {
	// Index is the step's position in the commit, from 0.
	Index int
	// Stage is the step's stage: "create", "attributes", "ports",
	// "addresses", "neighbours", "routes", "rules", "netns" or "remove".
	Stage string
	// Change is what the step changes.
	Change Change
}

func (s Step) String() string { return fmt.Sprintf("step %d (%s): %v", s.Index, s.Stage, s.Change) }

// CommitHook is called by Commit after each step is applied and
// acknowledged by the kernel, in order. An error vetoes the commit: every
// step applied so far is rolled back and Commit returns the error.
type CommitHook func(Step) error

// CommitError reports a failed commit: the step that failed or was
// vetoed, why, and, if rolling back failed too, why.
type CommitError struct {
	Step     Step
	Err      error
	Rollback error
}

func (e *CommitError) Error() string {
	s := fmt.Sprintf("ipdb: commit failed at %v: %v", e.Step, e.Err)
	if e.Rollback != nil {
		s += fmt.Sprintf("; rollback failed too: %v", e.Rollback)
	} else {
		s += "; rolled back"
	}
	return s
}

// Unwrap returns the failure and the rollback's error, so that errors.Is
// finds either.
func (e *CommitError) Unwrap() []error {
	if e.Rollback != nil {
		return []error{e.Err, e.Rollback}
	}
	return []error{e.Err}
}

// The stages, in the order Commit applies them.
const (
	stageCreate = iota
	stageAttrs
	stagePorts
	stageAddrs
	stageNeighs
	stageRoutes
	stageRules
	stageNetns
	stageRemove
)

var stageNames = [...]string{"create", "attributes", "ports", "addresses", "neighbours", "routes", "rules", "netns", "remove"}

// step is a planned change: the request that makes it and those that undo
// it, computed from the state before the commit.
type step struct {
	stage int
	// wave orders the steps of a stage that need what earlier ones
	// learn: an interface created on a parent the same commit creates.
	wave   int
	change Change
	// do adds the change's request to a batch; exec makes changes that
	// are not RTNL requests (tun/tap devices). echo, if set, receives
	// the object the request created as the kernel stored it, and
	// resolve runs after the stage: both learn what later stages need (a
	// new link's index).
	do      func(bt *rtm.Batch) error
	exec    func(ctx context.Context, h *rtm.Handle) error
	echo    func(m wire.Message)
	resolve func(ctx context.Context, h *rtm.Handle) error
	// undo adds the requests that undo the change. undoFailed runs them
	// even if the change failed: they restore values, which is harmless
	// if the kernel did not change them, and a failed link change may
	// have applied some of its attributes.
	undo       func(bt *rtm.Batch) error
	undoFailed bool
	// undoExec, if set, undoes an exec step: a change a batch on the
	// handle cannot undo (a link moved to another namespace).
	undoExec func(ctx context.Context, h *rtm.Handle) error
	// describe, if set, describes the step instead of change: the
	// description of a route costs more than planning it, and only a
	// review, a hook or a failure reads it.
	describe func() Change
	// conflict, if set, tells whether the kernel's refusal of the step
	// means that another writer changed its object after the plan was
	// made, and returns the *ConflictError that says so.
	conflict func(err error) error
}

func (s *step) desc() Change {
	if s.describe != nil {
		return s.describe()
	}
	return s.change
}

// ErrConflict is matched by errors.Is when a commit failed because
// another writer changed an object the transaction changes, between the
// moment the commit planned (from the database, caught up with the
// kernel) and the moment the kernel applied the step: a route, address,
// rule, neighbour or interface created or removed meanwhile. The commit
// was rolled back; planning again sees the other writer's change. Changes
// by others to objects the transaction does not touch never fail a
// commit.
var ErrConflict = errors.New("ipdb: conflict with another writer")

// ConflictError is a step refused by the kernel because another writer
// changed its object meanwhile. errors.Is matches it with ErrConflict and
// with the kernel's errno (unix.EEXIST, unix.ENOENT, ...).
type ConflictError struct {
	// Object is the object: "route 10.0.0.0/24 table 254", "interface
	// veth0", "rule priority 100".
	Object string
	// Change is what happened to it: "created" (an add found it there)
	// or "removed" (a change or removal did not find it).
	Change string
	// Err is the kernel's error.
	Err error
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("ipdb: %s was %s by another writer since the commit was planned: %v", e.Object, e.Change, e.Err)
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns the kernel's error.
func (e *ConflictError) Unwrap() error { return e.Err }

// createdMeanwhile classifies the failure of an add whose object the
// plan did not see: EEXIST means another writer created it. An empty
// object is the step's.
func createdMeanwhile(object string) func(error) error {
	return func(err error) error {
		if errors.Is(err, unix.EEXIST) {
			return &ConflictError{Object: object, Change: "created", Err: err}
		}
		return nil
	}
}

// removedMeanwhile classifies the failure of a change or removal of an
// object the plan saw: the kernel's "no such object" errors mean another
// writer removed it (or changed what identifies it).
func removedMeanwhile(object string) func(error) error {
	return func(err error) error {
		for _, e := range []unix.Errno{unix.ENOENT, unix.ESRCH, unix.ENODEV, unix.EADDRNOTAVAIL} {
			if errors.Is(err, e) {
				return &ConflictError{Object: object, Change: "removed", Err: err}
			}
		}
		return nil
	}
}

// Change is one line of a review: what a transaction changes.
type Change struct {
	// Object is what changes: "interface br0", "route 10.0.0.0/24 table
	// 254", "rule priority 100".
	Object string
	// Action is "create", "remove", "set", "+ipaddr", "-ipaddr",
	// "+port", "-port", "+neigh", "-neigh", "+route", "-route", "~route"
	// (a changed route), "+nh", "-nh", "+rule" or "-rule".
	Action string
	// Field names the changed setting of a "set" or "~route": "mtu",
	// "name", "gateway", "metrics.mtu", "nexthops", ...
	Field string
	// Old and New are the values before and after, as text.
	Old, New string
	// Fields lists the settings a "~route", "+nh" or "-nh" changes.
	Fields []Change
}

func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Object + ": " + c.Action)
	if c.Field != "" {
		fmt.Fprintf(&b, " %s %s -> %s", c.Field, c.Old, c.New)
	} else if c.New != "" || c.Old != "" {
		b.WriteString(" " + c.New + c.Old)
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, "; %s %s -> %s", f.Field, f.Old, f.New)
	}
	return b.String()
}

// Review is the pending diff of a transaction, in commit order.
type Review struct {
	Changes []Change
	// Err is why the transaction cannot be planned, if it cannot: a bad
	// argument, an interface or route that does not exist.
	Err error
}

func (r Review) String() string {
	var b strings.Builder
	for _, c := range r.Changes {
		b.WriteString(c.String() + "\n")
	}
	if r.Err != nil {
		b.WriteString("error: " + r.Err.Error() + "\n")
	}
	return b.String()
}

func routeObject(s *rtm.RouteSpec) string {
	return fmt.Sprintf("route %v table %d", s.Dst, tableOf(s).table)
}

func describeRoute(s *rtm.RouteSpec) string {
	var b strings.Builder
	b.WriteString(s.Dst.String())
	if s.Gateway.IsValid() {
		fmt.Fprintf(&b, " via %v", s.Gateway)
	}
	if s.OutIndex != 0 {
		fmt.Fprintf(&b, " dev %d", s.OutIndex)
	}
	for _, h := range s.NextHops {
		fmt.Fprintf(&b, " nexthop via %v dev %d weight %d", h.Gateway, h.OutIndex, max(h.Weight, 1))
	}
	if s.Priority != 0 {
		fmt.Fprintf(&b, " metric %d", s.Priority)
	}
	return b.String()
}

func describeNeigh(s *rtm.NeighSpec) string {
	d := s.Dst.String()
	if len(s.LLAddr) > 0 {
		d += " lladdr " + s.LLAddr.String()
	}
	return d
}

func ruleObject(s *rtm.RuleSpec) string {
	if p, ok := s.Priority.Get(); ok {
		return fmt.Sprintf("rule priority %d", p)
	}
	return "rule"
}

// diffRouteSpecs describes what changes from prev to next.
func diffRouteSpecs(prev, next *rtm.RouteSpec, action string, hop rtm.NextHopSpec) Change {
	c := Change{Object: routeObject(prev), Action: action}
	field := func(name string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			c.Fields = append(c.Fields, Change{Field: name, Old: fmt.Sprint(a), New: fmt.Sprint(b)})
		}
	}
	switch action {
	case "+nh":
		c.New = fmt.Sprintf("via %v dev %d", hop.Gateway, hop.OutIndex)
	case "-nh":
		c.Old = fmt.Sprintf("via %v", hop.Gateway)
	}
	field("gateway", prev.Gateway, next.Gateway)
	field("dev", prev.OutIndex, next.OutIndex)
	field("prefsrc", prev.PrefSrc, next.PrefSrc)
	field("type", prev.Type, next.Type)
	field("protocol", prev.Protocol, next.Protocol)
	field("nexthops", len(prev.NextHops), len(next.NextHops))
	pm, nm := prev.Metrics, next.Metrics
	field("metrics.mtu", pm.MTU, nm.MTU)
	field("metrics.advmss", pm.AdvMSS, nm.AdvMSS)
	field("metrics.hoplimit", pm.HopLimit, nm.HopLimit)
	field("metrics.initcwnd", pm.InitCWnd, nm.InitCWnd)
	field("metrics.initrwnd", pm.InitRWnd, nm.InitRWnd)
	field("metrics.window", pm.Window, nm.Window)
	field("metrics.rtt", pm.RTT, nm.RTT)
	field("metrics.lock", pm.Lock, nm.Lock)
	field("metrics.congctl", pm.CongestionControl, nm.CongestionControl)
	return c
}

// snapshotOps returns the ops and interface table to plan, as copies.
func (tx *Tx) take(clear bool) ([]op, []ifaceRef, []CommitHook, error) {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.err != nil {
		return nil, nil, nil, tx.err
	}
	if tx.done {
		return nil, nil, nil, ErrTxDone
	}
	ops, refs := tx.ops, slices.Clone(tx.ifaces)
	hooks := append(slices.Clone(tx.db.opts.hooks), tx.hooks...)
	if clear {
		tx.ops = nil
	}
	return ops, refs, hooks, nil
}

// Review returns the pending diff, planned against the database's
// current state.
func (tx *Tx) Review() Review {
	ops, refs, _, err := tx.take(false)
	if err != nil {
		return Review{Err: err}
	}
	p, err := plan(newWorld(tx.db.Snapshot()), ops, refs)
	if err != nil {
		return Review{Err: err}
	}
	r := Review{}
	for _, s := range p.steps {
		r.Changes = append(r.Changes, s.desc())
	}
	return r
}

// Plan returns the steps Commit would apply now, without applying them:
// planned, as Commit plans, against the database once it has caught up
// with every change the kernel made until now.
func (tx *Tx) Plan(ctx context.Context) ([]Step, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	ops, refs, _, err := tx.take(false)
	if err != nil {
		return nil, err
	}
	p, err := tx.planCurrent(ctx, ops, refs)
	if err != nil {
		return nil, err
	}
	return p.public(), nil
}

func (p *planner) public() []Step {
	out := make([]Step, len(p.steps))
	for i := range p.steps {
		out[i] = p.stepAt(i)
	}
	return out
}

func (p *planner) stepAt(i int) Step {
	return Step{Index: i, Stage: stageNames[p.steps[i].stage], Change: p.steps[i].desc()}
}

// Commit applies the transaction and closes it. Changes go in dependency
// order (interfaces created, then their attributes, ports, addresses,
// routes, rules, and interface removals last), each stage pipelined in
// one batch, each change confirmed by the kernel's acknowledgement. If a
// change fails or a hook vetoes it, every change already applied is
// undone, in reverse order, and Commit returns a *CommitError naming the
// step, with the rollback's own error if it failed too.
//
// The plan and the inverses are computed from the database, once it has
// applied every notification the kernel queued before Commit was called
// (a barrier in the notification stream): nothing is read again from the
// kernel, so a commit costs in proportion to its changes, whatever the
// size of the tables, and other writers changing other objects meanwhile
// cannot make it fail. If another writer changes an object of the
// transaction between the plan and the step (creates a route it adds,
// removes an address it deletes), the kernel refuses the step and the
// commit rolls back with a *ConflictError, matched by ErrConflict.
//
// When Commit returns, the database shows the outcome: a snapshot taken
// then has every change of a successful commit, and none of a rolled
// back one, with whatever else the kernel changed before (a barrier in
// the notification stream, [rtm.Monitor.Sync], makes sure of it without
// polling). Other changes may follow at any time: those the kernel makes
// by itself, such as IPv6 link-local addresses after a link goes up,
// are for [DB.Wait]. If ctx ends while Commit waits for the database, it
// returns an error that wraps ctx's, and the changes stay applied; if
// the database stopped following the kernel ([DB.Err]), it does not
// wait. A pre callback must not commit: the database cannot show the
// commit before the callback returns.
//
// In SnapshotMode, Commit plans against the database and applies
// nothing.
func (tx *Tx) Commit(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if tx.mode == Direct {
		tx.mu.Lock()
		err := tx.err
		tx.done = true
		tx.mu.Unlock()
		tx.forget()
		return err
	}
	defer tx.forget()
	err := tx.apply(ctx)
	tx.mu.Lock()
	tx.done = true
	tx.mu.Unlock()
	return err
}

// apply plans and applies the recorded ops, and clears them.
func (tx *Tx) apply(ctx context.Context) error {
	if tx.db.closed.Load() {
		return ErrClosed
	}
	ops, refs, hooks, err := tx.take(true)
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		return nil
	}
	if tx.mode == SnapshotMode {
		_, err := plan(newWorld(tx.db.Snapshot()), ops, refs)
		return err
	}
	p, err := tx.planCurrent(ctx, ops, refs)
	if err != nil {
		return err
	}
	err = p.run(ctx, tx.db.h, hooks)
	// Whether the changes stay or were rolled back, the database shows
	// the outcome before Commit returns.
	if werr := tx.db.catchUp(ctx); err == nil {
		err = werr
	}
	// Keep what was learnt (the indexes of new interfaces) for the
	// changes still to come in Direct mode.
	tx.mu.Lock()
	if err == nil {
		copy(tx.ifaces, p.ifaces)
		for i := range tx.ifaces {
			tx.ifaces[i].created = false
		}
	}
	tx.mu.Unlock()
	return err
}

// run applies the plan stage by stage and rolls back on failure.
func (p *planner) run(ctx context.Context, h *rtm.Handle, hooks []CommitHook) error {
	var applied []int // steps applied, in order
	fail := func(i int, err error) error {
		if c := p.steps[i].conflict; c != nil {
			if e := c(err); e != nil {
				if ce, ok := e.(*ConflictError); ok && ce.Object == "" {
					ce.Object = p.steps[i].desc().Object
				}
				err = e
			}
		}
		return &CommitError{Step: p.stepAt(i), Err: err, Rollback: p.rollback(ctx, h, applied)}
	}
	for lo := 0; lo < len(p.steps); {
		hi := lo
		for hi < len(p.steps) && p.steps[hi].stage == p.steps[lo].stage && p.steps[hi].wave == p.steps[lo].wave {
			hi++
		}
		bt := h.NewBatch()
		var inBatch []int
		echo := false
		for i := lo; i < hi; i++ {
			s := &p.steps[i]
			if s.exec != nil {
				if err := s.exec(ctx, h); err != nil {
					return fail(i, err)
				}
				applied = append(applied, i)
				continue
			}
			if err := s.do(bt); err != nil {
				return fail(i, err)
			}
			inBatch = append(inBatch, i)
			echo = echo || s.echo != nil
		}
		var results []error
		var err error
		if echo {
			results, err = bt.RunEcho(ctx, func(j int, m wire.Message) error {
				if e := p.steps[inBatch[j]].echo; e != nil {
					e(m)
				}
				return nil
			})
		} else {
			results, err = bt.Run(ctx)
		}
		if results == nil && err != nil {
			// Nothing is known to have been applied: the batch failed
			// as a whole (a closed handle, a cancelled context).
			return fail(inBatch[0], err)
		}
		failed, failErr := -1, error(nil)
		for j, i := range inBatch {
			if results[j] != nil {
				if failed < 0 {
					failed, failErr = i, results[j]
				}
				if p.steps[i].undoFailed {
					applied = append(applied, i)
					if p.refused == nil {
						p.refused = map[int]bool{}
					}
					p.refused[i] = true
				}
				continue
			}
			applied = append(applied, i)
		}
		if failed >= 0 {
			return fail(failed, failErr)
		}
		for i := lo; i < hi; i++ {
			if r := p.steps[i].resolve; r != nil {
				if err := r(ctx, h); err != nil {
					return fail(i, err)
				}
			}
		}
		for i := lo; i < hi; i++ {
			for _, hook := range hooks {
				if err := hook(p.stepAt(i)); err != nil {
					return fail(i, fmt.Errorf("vetoed by a commit hook: %w", err))
				}
			}
		}
		lo = hi
	}
	return nil
}

// rollback undoes the applied steps in reverse order, in one batch.
func (p *planner) rollback(ctx context.Context, h *rtm.Handle, applied []int) error {
	// A rollback must run even if the commit's context ended.
	ctx = context.WithoutCancel(ctx)
	bt := h.NewBatch()
	var errs []error
	// ignored are the requests of the batch whose errors do not count:
	// those undoing a step the kernel refused.
	var ignored []bool
	flush := func() {
		results, err := bt.Run(ctx)
		for j, r := range results {
			if r != nil && !(j < len(ignored) && ignored[j]) {
				errs = append(errs, r)
			}
		}
		if results == nil && err != nil {
			errs = append(errs, err)
		}
		bt, ignored = h.NewBatch(), nil
	}
	for k := len(applied) - 1; k >= 0; k-- {
		s := &p.steps[applied[k]]
		if s.undoExec != nil {
			// After the undos before it in the batch, before those after.
			flush()
			if err := s.undoExec(ctx, h); err != nil {
				errs = append(errs, fmt.Errorf("undoing %v: %w", s.desc(), err))
			}
			continue
		}
		if s.undo == nil {
			if s.stage == stageRemove {
				errs = append(errs, fmt.Errorf("%v cannot be undone", s.desc()))
			}
			continue
		}
		if err := s.undo(bt); err != nil {
			errs = append(errs, fmt.Errorf("undoing %v: %w", s.desc(), err))
		}
		for len(ignored) < bt.Len() {
			ignored = append(ignored, p.refused[applied[k]])
		}
	}
	flush()
	return errors.Join(errs...)
}
