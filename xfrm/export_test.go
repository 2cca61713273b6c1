package xfrm

import "github.com/ipr-go/ipr/wire"

// Request returns the request a call sends for spec (a *State, *Policy,
// *StateID with its type, *PolicyID with its type, *AllocSPI), unchecked.
func Request(spec any, typ uint16) ([]byte, error) {
	var b wire.Builder
	switch s := spec.(type) {
	case *State:
		s.build(&b, msgNewSA, 0)
	case *Policy:
		s.build(&b, msgNewPolicy, 0)
	case *StateID:
		s.build(&b, typ)
	case *PolicyID:
		s.build(&b, typ)
	case *AllocSPI:
		s.build(&b)
	case func(*wire.Builder):
		s(&b)
	}
	return b.Bytes(), b.Err()
}

// The message types the request tests name.
const (
	MsgDelSA      = msgDelSA
	MsgGetSA      = msgGetSA
	MsgDelPolicy  = msgDelPolicy
	MsgGetPolicy  = msgGetPolicy
	MsgFlushSA    = msgFlushSA
	MsgGetSADInfo = msgGetSADInfo
)

// FlushSARequest writes the request of StateFlush(p).
func FlushSARequest(p Proto) func(*wire.Builder) {
	return func(b *wire.Builder) {
		b.Begin(msgFlushSA, 0)
		b.Fixed(1)[0] = uint8(p)
		b.End()
	}
}

// FlushPolicyRequest writes the request of PolicyFlush(t, true).
func FlushPolicyRequest(t PolicyType) func(*wire.Builder) {
	return func(b *wire.Builder) {
		b.Begin(msgFlushPolicy, 0)
		typeAttr(b, t)
		b.End()
	}
}
