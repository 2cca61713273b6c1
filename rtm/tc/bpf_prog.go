package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
)

// bpfAttrs are the attribute types of a BPF program in the options of
// the bpf classifier ([BPF]) and of the bpf action ([BPFAction]).
type bpfAttrs struct {
	opsLen, ops, fd, name, id, tag uint16
	// emptyName sends the name with the descriptor even when it is
	// empty (the classifier does; the action sends none).
	emptyName bool
}

var (
	clsBPFAttrs = bpfAttrs{tcaBpfOpsLen, tcaBpfOps, tcaBpfFd, tcaBpfName, tcaBpfId, tcaBpfTag, true}
	actBPFAttrs = bpfAttrs{tcaActBpfOpsLen, tcaActBpfOps, tcaActBpfFd, tcaActBpfName, tcaActBpfId, tcaActBpfTag, false}
)

// bpfProg points at the program fields of a [BPF] or a [BPFAction]: a
// descriptor and its name, or classic bytecode; the id and tag of dumps.
type bpfProg struct {
	fd   *int
	name *string
	ops  *[]BPFInstruction
	id   *uint32
	tag  *[]byte
}

// check refuses a program given both or neither as a descriptor and as
// bytecode.
func (p bpfProg) check() error {
	if (*p.fd > 0) == (len(*p.ops) > 0) {
		return errors.New("give a program descriptor or bytecode, not both or neither")
	}
	return nil
}

// append appends the program's bytecode and descriptor (with its name),
// those given, as attributes t.
func (p bpfProg) append(e *nla.Encoder, t *bpfAttrs) error {
	if len(*p.ops) > 0 {
		if err := appendBPFOps(e, t.opsLen, t.ops, *p.ops); err != nil {
			return err
		}
	}
	if *p.fd > 0 {
		e.Uint32(t.fd, uint32(*p.fd))
		if *p.name != "" || t.emptyName {
			e.String(t.name, *p.name)
		}
	}
	return nil
}

// decode decodes a, if it is one of the program's attributes t, and
// reports whether it was.
func (p bpfProg) decode(a nla.Attr, t *bpfAttrs) bool {
	switch a.Kind() {
	case t.ops:
		*p.ops = decodeBPFOps(a.Data)
	case t.fd:
		*p.fd = int(attrU32(a))
	case t.name:
		*p.name, _ = a.Text()
	case t.id:
		*p.id, _ = a.Uint32()
	case t.tag:
		*p.tag = append([]byte(nil), a.Data...)
	default:
		return false
	}
	return true
}

// BPFInstruction is one classic BPF instruction (struct sock_filter), as
// tc's "bytecode" lists them: "code jt jf k".
type BPFInstruction struct {
	Code   uint16
	JT, JF uint8
	K      uint32
}

// maxBPFOps is BPF_MAXINSNS.
const maxBPFOps = 4096

func appendBPFOps(e *nla.Encoder, lenType, opsType uint16, ops []BPFInstruction) error {
	if len(ops) > maxBPFOps {
		return fmt.Errorf("%d BPF instructions, at most %d", len(ops), maxBPFOps)
	}
	e.Uint16(lenType, uint16(len(ops)))
	if p := structAttr(e, opsType, 8*len(ops)); p != nil {
		for i, op := range ops {
			q := p[8*i:]
			native.PutUint16(q, op.Code)
			q[2], q[3] = op.JT, op.JF
			native.PutUint32(q[4:], op.K)
		}
	}
	return nil
}

func decodeBPFOps(b []byte) []BPFInstruction {
	ops := make([]BPFInstruction, 0, len(b)/8)
	for ; len(b) >= 8; b = b[8:] {
		ops = append(ops, BPFInstruction{Code: native.Uint16(b), JT: b[2], JF: b[3], K: native.Uint32(b[4:])})
	}
	return ops
}
