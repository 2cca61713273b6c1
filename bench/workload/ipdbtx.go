package workload

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/ipdb"
)

func init() {
	register("ipdb-tx", "ipr", iprIPDBTx)
	register("ipdb-tx", "rtm.Batch", iprIPDBTxBatch)
}

// TxRoutes is the number of routes each transaction of the ipdb-tx
// workload changes.
const TxRoutes = 1000

// txRoute returns the j-th route of the ipdb-tx workload: table
// AddTable, through Device, from 96.0.0.0, away from the add/delete
// workload's.
func txRoute(dev int32, j int) rtm.RouteSpec {
	return rtm.RouteSpec{Dst: prefix24(96<<24 + uint32(j)<<8),
		OutIndex: dev, Table: AddTable}
}

// txChanged is route j with an MTU metric that differs at each call.
func txChanged(dev int32, j, gen int) rtm.RouteSpec {
	s := txRoute(dev, j)
	s.Metrics.MTU = uint32(1300 + gen%2)
	return s
}

// txRefused is a change of route j that the kernel refuses: its gateway
// is on no subnet.
func txRefused(dev int32, j int) rtm.RouteSpec {
	s := txRoute(dev, j)
	s.OutIndex, s.Gateway = 0, netip.MustParseAddr("192.0.2.99")
	return s
}

// ipdbTxPhases are the phases of the ipdb-tx workload, in the namespace of
// Sizes.Routes routes: add TxRoutes routes, change them, change them
// with the last change refused (so that the others are rolled back), and
// remove them. ipr does each in one rtm/ipdb transaction; rtm.Batch sends
// the same requests in one batch, the rollback's included.
func ipdbTxPhases(env *Env, tx bool) (*Instance, error) {
	h, dev, err := iprDialDevice(env, Device)
	if err != nil {
		return nil, err
	}
	var db *ipdb.DB
	closeAll := h.Close
	if tx {
		if db, err = ipdb.Open(bg, h); err != nil {
			h.Close()
			return nil, err
		}
		closeAll = func() error { db.Close(); return h.Close() }
	}
	batch := func(n int, req func(bt *rtm.Batch, j int) error) ([]error, error) {
		bt := h.NewBatch()
		for j := 0; j < n; j++ {
			if err := req(bt, j); err != nil {
				return nil, err
			}
		}
		return bt.Run(bg)
	}
	ok := func(results []error, err error) (Result, error) {
		if err != nil {
			return Result{}, err
		}
		return Result{Count: len(results)}, nil
	}
	// each is a phase of one request for each of the TxRoutes routes
	// spec(j): recorded in one transaction, or sent in one batch.
	each := func(spec func(j int) rtm.RouteSpec, record func(*ipdb.Routes, rtm.RouteSpec) *ipdb.Routes,
		send func(*rtm.Batch, rtm.RouteSpec) error) (Result, error) {
		if tx {
			t := db.Begin()
			r := t.Routes()
			for j := 0; j < TxRoutes; j++ {
				record(r, spec(j))
			}
			if err := t.Commit(bg); err != nil {
				return Result{}, err
			}
			return Result{Count: TxRoutes}, nil
		}
		return ok(batch(TxRoutes, func(bt *rtm.Batch, j int) error { return send(bt, spec(j)) }))
	}
	gen := 0
	route := func(j int) rtm.RouteSpec { return txRoute(dev, j) }
	changed := func(j int) rtm.RouteSpec { return txChanged(dev, j, gen) }
	phases := []Phase{
		{Name: "add", Run: func() (Result, error) { return each(route, (*ipdb.Routes).Add, (*rtm.Batch).RouteAdd) }},
		{Name: "change", Run: func() (Result, error) {
			gen++
			return each(changed, (*ipdb.Routes).Change, (*rtm.Batch).RouteChange)
		}},
		{Name: "rollback", Run: func() (Result, error) {
			last := TxRoutes - 1
			if tx {
				t := db.Begin()
				r := t.Routes()
				for j := 0; j < last; j++ {
					r.Change(txChanged(dev, j, gen+1))
				}
				r.Change(txRefused(dev, last))
				var ce *ipdb.CommitError
				if err := t.Commit(bg); !errors.As(err, &ce) || ce.Rollback != nil {
					return Result{}, fmt.Errorf("commit: %v", err)
				}
				return Result{Count: TxRoutes}, nil
			}
			res, err := batch(TxRoutes, func(bt *rtm.Batch, j int) error {
				if j == last {
					return bt.RouteChange(txRefused(dev, j))
				}
				return bt.RouteChange(txChanged(dev, j, gen+1))
			})
			if res == nil || res[last] == nil {
				return Result{}, fmt.Errorf("the last change was not refused: %v", err)
			}
			// The rollback's requests: the routes as they were, in
			// reverse order.
			if _, err := batch(last, func(bt *rtm.Batch, j int) error { return bt.RouteReplace(txChanged(dev, last-1-j, gen)) }); err != nil {
				return Result{}, err
			}
			return Result{Count: TxRoutes}, nil
		}},
		{Name: "remove", Run: func() (Result, error) { return each(route, (*ipdb.Routes).Remove, (*rtm.Batch).RouteDel) }},
	}
	return &Instance{Phases: phases, Close: closeAll}, nil
}

func iprIPDBTx(env *Env) (*Instance, error)      { return ipdbTxPhases(env, true) }
func iprIPDBTxBatch(env *Env) (*Instance, error) { return ipdbTxPhases(env, false) }
