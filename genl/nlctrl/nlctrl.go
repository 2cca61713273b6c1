package nlctrl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Families lists the generic-netlink families the kernel has
// (CTRL_CMD_GETFAMILY as a dump), what `genl ctrl list` prints. Each
// Family is detached: it may be kept.
func Families(ctx context.Context, h *genl.Handle) iter.Seq2[genl.Family, error] {
	return func(yield func(genl.Family, error) bool) {
		for m, err := range h.Dump(ctx, genl.Ctrl, genl.Request{Command: CtrlCmdGetfamily}) {
			if err != nil {
				yield(genl.Family{}, err)
				return
			}
			f, err := genl.ParseFamily(m)
			if !yield(f, err) || err != nil {
				return
			}
		}
	}
}

// AttrPolicy is how the kernel validates one attribute of a policy
// (its nl_policy_type_attr description).
type AttrPolicy struct {
	// Type is the attribute's type, one of the NlctrlAttrType* constants.
	Type uint32
	// MinValue and MaxValue bound an integer's value when HasRange is
	// set; signed ranges are converted.
	MinValue, MaxValue int64
	// HasRange says MinValue and MaxValue were given.
	HasRange bool
	// MinLength and MaxLength bound a binary or string's length; zero
	// when not given.
	MinLength, MaxLength uint32
	// Nested is the index of the policy of a nested attribute's
	// contents, when NestedMaxType is not zero.
	Nested uint32
	// NestedMaxType is the highest attribute of the nested policy.
	NestedMaxType uint32
	// Mask is the bits a bitfield32 or a masked integer may carry.
	Mask uint64
}

// OpPolicy names the policies of one operation's requests, -1 where the
// operation has none (no do, or no dump).
type OpPolicy struct {
	Do, Dump int64
}

// Policies are a family's attribute policies (CTRL_CMD_GETPOLICY), so
// that a caller can ask at run time whether the kernel accepts an
// attribute.
type Policies struct {
	// Family is the family's id.
	Family uint16
	// Ops maps an operation to its policies.
	Ops map[uint32]OpPolicy
	// Policies maps a policy index to its attributes (by type).
	Policies map[uint32]map[uint16]AttrPolicy
}

// Accepts reports whether the kernel's policy of operation cmd has
// attribute attr: its do policy, or its dump policy for an operation
// that only dumps (the family's single policy when the kernel gave no
// per-operation data).
func (p *Policies) Accepts(cmd uint32, attr uint16) bool {
	idx := uint32(0)
	if op, ok := p.Ops[cmd]; ok {
		pol := op.Do
		if pol < 0 {
			pol = op.Dump
		}
		if pol < 0 {
			return false
		}
		idx = uint32(pol)
	} else if len(p.Ops) > 0 {
		return false
	}
	_, ok := p.Policies[idx][attr]
	return ok
}

// Policy dumps the attribute policies of the family called family
// (CTRL_CMD_GETPOLICY; Linux 5.10). A family the kernel lacks is a
// *genl.FamilyNotFoundError.
func Policy(ctx context.Context, h *genl.Handle, family string) (*Policies, error) {
	if family == "" {
		return nil, errors.New("nlctrl: policy of no family")
	}
	p := &Policies{Ops: map[uint32]OpPolicy{}, Policies: map[uint32]map[uint16]AttrPolicy{}}
	var order []opEntry
	for m, err := range h.Dump(ctx, genl.Ctrl, genl.Request{
		Command: CtrlCmdGetpolicy,
		Attrs:   func(e *nla.Encoder) { e.String(CtrlAttrFamilyName, family) },
	}) {
		if errors.Is(err, unix.ENOENT) {
			return nil, &genl.FamilyNotFoundError{Name: family, Err: err}
		}
		if err != nil {
			return nil, err
		}
		if err := p.add(m.Attrs, &order); err != nil {
			return nil, fmt.Errorf("nlctrl: policy of %s: %w", family, err)
		}
	}
	return p, p.nameOps(ctx, h, family, order)
}

// opEntry is one operation's policies as the dump gave them, in order.
type opEntry struct {
	cmd uint32
	pol OpPolicy
}

// nameOps files the dumped operations' policies by command. The kernel
// names an operation that has no do handler 0 (ctrl_dumppolicy_put_op
// takes the number from the missing do handler, as of Linux 6.18): such
// entries are numbered after the family's operation list, which the
// kernel walks in the same order, when the two agree.
func (p *Policies) nameOps(ctx context.Context, h *genl.Handle, family string, order []opEntry) error {
	unnamed := false
	for _, o := range order {
		if o.cmd == 0 {
			unnamed = true
		} else {
			p.Ops[o.cmd] = o.pol
		}
	}
	if !unnamed {
		return nil
	}
	var f genl.Family
	err := h.Query(ctx, genl.Ctrl, genl.Request{
		Command: CtrlCmdGetfamily,
		Attrs:   func(e *nla.Encoder) { e.String(CtrlAttrFamilyName, family) },
	}, func(m genl.Message) (err error) {
		f, err = genl.ParseFamily(m)
		return err
	})
	if err != nil {
		return fmt.Errorf("nlctrl: policy of %s: %w", family, err)
	}
	if len(f.Ops) != len(order) {
		p.Ops[0] = order[0].pol // unplaceable: left under 0, as sent
		return nil
	}
	for i, o := range order {
		if o.cmd == 0 {
			p.Ops[f.Ops[i].ID] = o.pol
		}
	}
	return nil
}

// add decodes one message of a policy dump into p.
func (p *Policies) add(c nla.Chain, order *[]opEntry) error {
	for a := range c.All() {
		var err error
		switch a.Kind() {
		case CtrlAttrFamilyID:
			p.Family, err = a.Uint16()
		case CtrlAttrOpPolicy:
			for op := range a.Nested().All() {
				o := OpPolicy{Do: -1, Dump: -1}
				for x := range op.Nested().All() {
					v, err := x.Uint32()
					if err != nil {
						return err
					}
					switch x.Kind() {
					case CtrlAttrPolicyDo:
						o.Do = int64(v)
					case CtrlAttrPolicyDump:
						o.Dump = int64(v)
					}
				}
				*order = append(*order, opEntry{uint32(op.Kind()), o})
			}
		case CtrlAttrPolicy:
			for pol := range a.Nested().All() {
				attrs := p.Policies[uint32(pol.Kind())]
				if attrs == nil {
					attrs = map[uint16]AttrPolicy{}
					p.Policies[uint32(pol.Kind())] = attrs
				}
				for at := range pol.Nested().All() {
					ap, err := decodeAttrPolicy(at.Nested())
					if err != nil {
						return err
					}
					attrs[at.Kind()] = ap
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return c.Err()
}

func decodeAttrPolicy(c nla.Chain) (AttrPolicy, error) {
	var p AttrPolicy
	for a := range c.All() {
		var err error
		var u32 uint32
		switch a.Kind() {
		case NlPolicyTypeAttrType:
			p.Type, err = a.Uint32()
		case NlPolicyTypeAttrMinValueS, NlPolicyTypeAttrMaxValueS:
			var v int64
			v, err = a.Int64()
			if a.Kind() == NlPolicyTypeAttrMinValueS {
				p.MinValue = v
			} else {
				p.MaxValue = v
			}
			p.HasRange = true
		case NlPolicyTypeAttrMinValueU, NlPolicyTypeAttrMaxValueU:
			var v uint64
			v, err = a.Uint64()
			if a.Kind() == NlPolicyTypeAttrMinValueU {
				p.MinValue = int64(v)
			} else {
				p.MaxValue = int64(min(v, 1<<63-1))
			}
			p.HasRange = true
		case NlPolicyTypeAttrMinLength:
			p.MinLength, err = a.Uint32()
		case NlPolicyTypeAttrMaxLength:
			p.MaxLength, err = a.Uint32()
		case NlPolicyTypeAttrPolicyIdx:
			p.Nested, err = a.Uint32()
		case NlPolicyTypeAttrPolicyMaxtype:
			p.NestedMaxType, err = a.Uint32()
		case NlPolicyTypeAttrBitfield32Mask:
			u32, err = a.Uint32()
			p.Mask = uint64(u32)
		case NlPolicyTypeAttrMask:
			p.Mask, err = a.Uint()
		}
		if err != nil {
			return AttrPolicy{}, fmt.Errorf("policy attribute %d: %w", a.Kind(), err)
		}
	}
	return p, c.Err()
}
