package tc

import (
	"errors"
	"fmt"
	"math"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// change is what every tc request has: the bare verb that names it in a
// batch ("qdisc add"), and its message's type and flags.
type change struct {
	verb       string
	typ, flags uint16
}

// Flags of the changing requests, as tc sends them.
const (
	addFlags     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	replaceFlags = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	changeFlags  = 0
	linkFlags    = unix.NLM_F_REPLACE
)

// spec is what a specification gives a specRequest: its message and the
// name of the object it changes, for errors. The filter and action
// specifications implement it too.
type spec interface {
	encode(r *rtnl.Req, c change) error
	opName(verb string) string
}

// specRequest is a change made by one message from a specification S:
// an rtm.Request, usable in rtm.Handle.Do, rtm.Batch.Add and IPDB
// transactions.
type specRequest[S any, P interface {
	*S
	spec
}] struct {
	change
	s S
}

// AppendTo validates the request and appends its message to r.
func (q *specRequest[S, P]) AppendTo(r *rtnl.Req) error {
	r.Op = q.verb
	if r.Named {
		r.Op = P(&q.s).opName(q.verb)
	}
	return P(&q.s).encode(r, q.change)
}

var _ rtm.Request = (*specRequest[QdiscSpec, *QdiscSpec])(nil)

// header is the tcmsg of a request.
type header struct {
	family         uint8
	ifindex        int32
	handle, parent Handle
	info           uint32
}

// begin starts a message of type c with tcmsg h.
func begin(b *wire.Builder, c change, h header) {
	b.Begin(c.typ, c.flags)
	if t := b.Fixed(SizeofTcmsg); t != nil {
		t[0] = h.family
		native.PutUint32(t[4:], uint32(h.ifindex))
		native.PutUint32(t[8:], uint32(h.handle))
		native.PutUint32(t[12:], uint32(h.parent))
		native.PutUint32(t[16:], h.info)
	}
}

// appendKind appends TCA_KIND.
func appendKind(b *wire.Builder, kind string) error {
	if kind == "" {
		return errors.New("options without a kind")
	}
	if len(kind) >= 16 {
		return fmt.Errorf("kind %q: longer than the kernel's 15 bytes", kind)
	}
	b.String(attrKind, kind)
	return nil
}

// Estimator is a rate estimator (TCA_RATE, struct tc_estimator), as tc's
// "estimator INTERVAL TIME_CONSTANT" sets it: the kernel measures the
// rate every 2^Interval/4 seconds, averaged with weight 2^-EWMALog.
type Estimator struct {
	Interval int8
	EWMALog  uint8
}

// NewEstimator computes an estimator from tc's interval and time
// constant in microseconds, as tc_setup_estimator does: the interval must
// be one of 250ms, 500ms, 1s, 2s, 4s or 8s (from -2 to 3 as a power of
// two of seconds), and the time constant at least the interval.
func NewEstimator(interval, timeConst Time) (Estimator, error) {
	var est Estimator
	iv := 0
	for ; iv <= 5; iv++ {
		if uint64(interval) <= uint64(1)<<iv*(TimeUnitsPerSec/4) {
			break
		}
	}
	if iv > 5 {
		return est, fmt.Errorf("tc: estimator: interval %v is longer than 8s", interval)
	}
	est.Interval = int8(iv - 2)
	e := 1
	for ; e < 32; e++ {
		w := 1.0 - 1.0/float64(uint64(1)<<e)
		if float64(interval)/(-math.Log(w)) > float64(timeConst) {
			break
		}
	}
	e--
	if e == 0 || e >= 31 {
		return est, fmt.Errorf("tc: estimator: time constant %v out of range for interval %v", timeConst, interval)
	}
	est.EWMALog = uint8(e)
	return est, nil
}

// appendEstimator appends TCA_RATE for est, unless it is nil.
func appendEstimator(b *wire.Builder, est *Estimator) {
	if est != nil {
		b.Binary(attrRate, []byte{byte(est.Interval), est.EWMALog})
	}
}
