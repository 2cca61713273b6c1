package tc

import (
	"github.com/ipr-go/ipr/nla"
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

// putRateTable appends the attribute typ of a 1024-byte rate table.
func putRateTable(e *nla.Encoder, typ uint16, tab *[256]uint32) {
	if b := structAttr(e, typ, 1024); b != nil {
		for i, v := range tab {
			native.PutUint32(b[4*i:], v)
		}
	}
}
