package tc

import (
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// The attributes of an action message (tcamsg; TCA_ROOT_* in
// linux/rtnetlink.h).
const (
	tcamsgLen      = 4 // sizeof(struct tcamsg)
	tcaActTab      = 1 // TCA_ACT_TAB (TCA_ROOT_TAB)
	tcaRootFlags   = 2 // TCA_ROOT_FLAGS
	tcaRootCount   = 3 // TCA_ROOT_COUNT
	tcaRootTimeDel = 4 // TCA_ROOT_TIME_DELTA
)

// plainNest is a nested attribute begun without NLA_F_NESTED, as tc's
// addattr_nest begins all but the action options: the kernel parses the
// classifiers' options either way, and leaving the flag as tc does keeps
// requests byte-identical to tc's.
type plainNest struct {
	n     nla.Nest
	start int
	typ   uint16
}

func beginPlain(e *nla.Encoder, typ uint16) plainNest {
	start := e.Len()
	return plainNest{n: e.BeginNest(typ), start: start, typ: typ}
}

func (p plainNest) end(e *nla.Encoder) {
	e.EndNest(p.n)
	if buf := e.Bytes(); len(buf) >= p.start+4 && native.Uint16(buf[p.start+2:]) == p.typ|unix.NLA_F_NESTED {
		native.PutUint16(buf[p.start+2:], p.typ)
	}
}

// zeros is the payload structAttr copies in before its caller fills it.
var zeros [256]byte

// structAttr appends an attribute with an n-byte zeroed payload, for the
// kernel's fixed structures (tc_gact, tc_u32_sel, ...), and returns the
// payload for the caller to fill; nil after an encoding error.
func structAttr(e *nla.Encoder, typ uint16, n int) []byte {
	start := e.Len() + 4
	if n <= len(zeros) {
		e.Binary(typ, zeros[:n])
	} else {
		e.Binary(typ, make([]byte, n))
	}
	if e.Len() < start+n {
		return nil
	}
	return e.Bytes()[start : start+n]
}
