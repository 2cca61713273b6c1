package ipdb

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ipr-go/ipr/rtm"
)

// Kind is a set of the object types a database mirrors (see [WithKinds]).
type Kind uint8

// The object types.
const (
	KindLinks Kind = 1 << iota
	KindAddrs
	KindRoutes
	KindRules
	KindNeighs

	// AllKinds is every type: what a database mirrors by default.
	AllKinds = KindLinks | KindAddrs | KindRoutes | KindRules | KindNeighs
)

// ErrNotMirrored is matched by errors.Is when a lookup asks for objects the
// database was opened not to mirror (see [WithKinds], [WithRouteTables]):
// the answer is unknown, which is not the same as none.
var ErrNotMirrored = errors.New("ipdb: not mirrored by this database")

// WithKinds limits the database to the object types in k, so that a
// short-lived process pays only for what it uses: Open dumps only those
// types, the subscription joins only their multicast groups, and
// notifications of other types are ignored. Links are always mirrored,
// since every other object refers to them: WithKinds(KindAddrs) mirrors
// links and addresses.
//
// The lookups of a type not mirrored find nothing; [Snapshot.Mirrors]
// tells that apart from an empty table, and [Snapshot.Route] returns an
// error matching [ErrNotMirrored].
func WithKinds(k Kind) Option {
	return func(o *options) error {
		if k&^AllKinds != 0 {
			return fmt.Errorf("ipdb: WithKinds: unknown kinds %#x", uint8(k&^AllKinds))
		}
		o.scope.kinds = k | KindLinks
		return nil
	}
}

// WithRouteTables limits the routes mirrored to those of the given tables
// (unix.RT_TABLE_MAIN, ...). With several calls, the tables add up.
func WithRouteTables(tables ...uint32) Option {
	return tablesOption("WithRouteTables", tables, func(o *options) *[]uint32 { return &o.scope.only })
}

// WithoutRouteTables leaves the routes of the given tables out of the
// database (pyroute2's ignore_rtables): at a million routes in tables the
// caller does not care about, this is the difference between megabytes
// and hundreds of megabytes. It overrides [WithRouteTables] for a table
// both name.
func WithoutRouteTables(tables ...uint32) Option {
	return tablesOption("WithoutRouteTables", tables, func(o *options) *[]uint32 { return &o.scope.skip })
}

// tablesOption is the option opt that adds tables to the list of the
// options that list returns, once they are checked.
func tablesOption(opt string, tables []uint32, list func(o *options) *[]uint32) Option {
	return func(o *options) error {
		if err := checkTables(opt, tables); err != nil {
			return err
		}
		l := list(o)
		*l = append(*l, tables...)
		return nil
	}
}

func checkTables(opt string, tables []uint32) error {
	if len(tables) == 0 {
		return fmt.Errorf("ipdb: %s: no table given", opt)
	}
	if slices.Contains(tables, 0) {
		return fmt.Errorf("ipdb: %s: table 0 is no table (RT_TABLE_UNSPEC)", opt)
	}
	return nil
}

// scope is what a database mirrors. Its zero value, like a nil *scope,
// is everything.
type scope struct {
	kinds Kind     // zero: every kind
	only  []uint32 // if not empty, the only route tables mirrored
	skip  []uint32 // route tables not mirrored
}

// has reports whether objects of kind k are mirrored.
func (sc *scope) has(k Kind) bool { return sc == nil || sc.kinds == 0 || sc.kinds&k == k }

// table reports whether the routes of table t are mirrored.
func (sc *scope) table(t uint32) bool {
	if sc == nil {
		return true
	}
	return sc.has(KindRoutes) && (len(sc.only) == 0 || slices.Contains(sc.only, t)) && !slices.Contains(sc.skip, t)
}

// route reports whether a route is mirrored: of a mirrored kind (see
// mirroredRoute), in a mirrored table.
func (sc *scope) route(r rtm.Route) bool { return mirroredRoute(r) && sc.table(r.Table()) }

// groups returns the multicast groups of the kinds mirrored.
func (sc *scope) groups() []rtm.Group {
	g := []rtm.Group{rtm.GroupLink}
	if sc.has(KindAddrs) {
		g = append(g, rtm.GroupIPv4Addr, rtm.GroupIPv6Addr)
	}
	if sc.has(KindRoutes) {
		g = append(g, rtm.GroupIPv4Route, rtm.GroupIPv6Route)
	}
	if sc.has(KindRules) {
		g = append(g, rtm.GroupIPv4Rule, rtm.GroupIPv6Rule)
	}
	if sc.has(KindNeighs) {
		g = append(g, rtm.GroupNeigh)
	}
	return g
}

// Mirrors reports whether the database mirrors the objects of kind k (of
// every kind in k): what a commit may read from a snapshot rather than
// from the kernel.
func (db *DB) Mirrors(k Kind) bool { return db.opts.scope.has(k) }

// mirrorsRoute reports whether the database mirrors route r: its kind
// (see mirroredRoute) and its table.
func (db *DB) mirrorsRoute(r rtm.Route) bool { return db.opts.scope.route(r) }

// mirrorsTable reports whether the database mirrors the routes of table t.
func (db *DB) mirrorsTable(t uint32) bool { return db.opts.scope.table(t) }

// Mirrors reports whether the snapshot holds the objects of kind k (of
// every kind in k). Lookups of a kind it does not hold find nothing,
// which says nothing of the kernel.
func (s *Snapshot) Mirrors(k Kind) bool { return s.sc.has(k) }

// MirrorsTable reports whether the snapshot holds the routes of table t.
func (s *Snapshot) MirrorsTable(t uint32) bool { return s.sc.table(t) }

// covers reports whether a database mirroring sc holds everything need
// asks for: its kinds, and the route tables need names (every table, if
// need names none).
func (sc *scope) covers(need *scope) bool {
	if sc == nil || (sc.kinds == 0 && len(sc.only) == 0 && len(sc.skip) == 0) {
		return true
	}
	if !sc.has(need.kinds) {
		return false
	}
	if need.kinds&KindRoutes == 0 {
		return true
	}
	if len(need.only) == 0 {
		return len(sc.only) == 0 && len(sc.skip) == 0
	}
	for _, t := range need.only {
		if !sc.table(t) {
			return false
		}
	}
	return true
}

// opsScope returns what planning ops reads of the database: the kinds,
// and the route tables when the routes read are those of known tables
// (none named: every table).
func opsScope(ops []op) *scope {
	need := &scope{kinds: KindLinks}
	allTables := false
	for i := range ops {
		o := &ops[i]
		switch o.kind {
		case opAddrAdd, opAddrDel:
			need.kinds |= KindAddrs
			if o.kind == opAddrDel {
				// Deleting an address flushes the routes using it
				// as their source, which the plan restores on rollback.
				need.kinds |= KindRoutes
				allTables = true
			}
		case opUp:
			if !o.flag {
				// Bringing a device down flushes its routes.
				need.kinds |= KindRoutes
				allTables = true
			}
		case opRouteAdd, opRouteChange, opRouteDel, opNextHopAdd, opNextHopDel, opRouteEdit:
			need.kinds |= KindRoutes
			if t := tableOf(o.route).table; !slices.Contains(need.only, t) {
				need.only = append(need.only, t)
			}
		case opRuleAdd, opRuleDel:
			need.kinds |= KindRules
		case opNeighAdd, opNeighDel:
			need.kinds |= KindNeighs
		}
	}
	if allTables {
		need.only = nil
	}
	return need
}
