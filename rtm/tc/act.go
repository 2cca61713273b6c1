package tc

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/rtm"
)

// Verdict is what happens to a packet after an action, or after a
// filter's actions (TC_ACT_* in linux/pkt_cls.h): the "control" that ends
// each action of tc's command line ("drop", "pipe", "goto chain 4").
type Verdict int32

// The verdicts, with the names tc gives them.
const (
	VerdictContinue   Verdict = -1 // TC_ACT_UNSPEC, "continue": the next filter
	VerdictPass       Verdict = 0  // TC_ACT_OK, "pass" (or "ok")
	VerdictReclassify Verdict = 1  // TC_ACT_RECLASSIFY, "reclassify"
	VerdictDrop       Verdict = 2  // TC_ACT_SHOT, "drop" (or "shot")
	VerdictPipe       Verdict = 3  // TC_ACT_PIPE, "pipe": the next action
	VerdictStolen     Verdict = 4  // TC_ACT_STOLEN, "stolen": consumed by the action
	VerdictQueued     Verdict = 5  // TC_ACT_QUEUED
	VerdictRepeat     Verdict = 6  // TC_ACT_REPEAT
	VerdictRedirect   Verdict = 7  // TC_ACT_REDIRECT, what a bpf program returns to redirect
	VerdictTrap       Verdict = 8  // TC_ACT_TRAP, "trap": to the CPU, for hardware
)

// Extended verdicts carry an operand in their low 28 bits.
const (
	verdictJump      = 1 << 28 // TC_ACT_JUMP
	verdictGotoChain = 2 << 28 // TC_ACT_GOTO_CHAIN
	verdictExtMask   = 0xf << 28
	// VerdictOperandMax is the largest chain index or jump count an
	// extended verdict carries (TC_ACT_EXT_VAL_MASK).
	VerdictOperandMax = 1<<28 - 1
)

// GotoChain is the verdict that continues classification in chain n
// ("goto chain N").
func GotoChain(n uint32) Verdict { return Verdict(verdictGotoChain | n&VerdictOperandMax) }

// Jump is the verdict that skips the next n actions of the list ("jump N").
func Jump(n uint32) Verdict { return Verdict(verdictJump | n&VerdictOperandMax) }

// Chain reports the chain a "goto chain" verdict continues in.
func (v Verdict) Chain() (uint32, bool) {
	return uint32(v) & VerdictOperandMax, uint32(v)&verdictExtMask == verdictGotoChain
}

// JumpCount reports how many actions a "jump" verdict skips.
func (v Verdict) JumpCount() (uint32, bool) {
	return uint32(v) & VerdictOperandMax, uint32(v)&verdictExtMask == verdictJump
}

// String names v as tc prints it: "pass", "drop", "goto chain 4",
// "jump 2", or the number for a verdict tc has no name for.
func (v Verdict) String() string {
	if n, ok := v.Chain(); ok {
		return "goto chain " + strconv.FormatUint(uint64(n), 10)
	}
	if n, ok := v.JumpCount(); ok {
		return "jump " + strconv.FormatUint(uint64(n), 10)
	}
	if s := v.name(); s != "" {
		return s
	}
	return strconv.Itoa(int(v))
}

// name is tc's action_n2a: the word tc prints, "" for a number. For
// extended verdicts it is the bare keyword ("goto", "jump"), as in tc's
// JSON.
func (v Verdict) name() string {
	switch {
	case uint32(v)&verdictExtMask == verdictGotoChain:
		return "goto"
	case uint32(v)&verdictExtMask == verdictJump:
		return "jump"
	}
	switch v {
	case VerdictContinue:
		return "continue"
	case VerdictPass:
		return "pass"
	case VerdictDrop:
		return "drop"
	case VerdictReclassify:
		return "reclassify"
	case VerdictPipe:
		return "pipe"
	case VerdictStolen:
		return "stolen"
	case VerdictTrap:
		return "trap"
	}
	return ""
}

// Action is one action of a filter's action list, or a standalone action
// (in the kernel's table of actions of its kind, shared by index).
type Action struct {
	// Kind is the action and its settings: *Gact, *Mirred, *Police, ...
	Kind ActionKind
	// Index is the action's index in its kind's table; 0 lets the kernel
	// choose. An action given only a kind and an existing index binds
	// that action ("action gact index 5").
	Index uint32
	// Control is the verdict after the action; unset, each kind has tc's
	// default (pipe for most; stolen for a mirred redirect; for gact,
	// whose verdict is the action itself, see [Gact]).
	Control rtm.Opt[Verdict]
	// Cookie is opaque data kept with the action, at most 16 bytes.
	Cookie []byte
	// Flags are TCA_ACT_FLAGS_* (ActionSkipHW, ActionSkipSW,
	// ActionNoPercpuStats), sent as a bit field.
	Flags uint32
}

// Flags of [Action.Flags].
const (
	ActionNoPercpuStats = 1 << 0 // TCA_ACT_FLAGS_NO_PERCPU_STATS, "no_percpu"
	ActionSkipHW        = 1 << 1 // TCA_ACT_FLAGS_SKIP_HW, "skip_hw"
	ActionSkipSW        = 1 << 2 // TCA_ACT_FLAGS_SKIP_SW, "skip_sw"
)

// MaxActions is the most actions one list holds (TCA_ACT_MAX_PRIO).
const MaxActions = 32

// maxCookie is TC_COOKIE_MAX_SIZE.
const maxCookie = 16

// ActionKind is the kind-specific part of an [Action]: [Gact], [Mirred],
// [Police], [SkbEdit], [Pedit], [VlanAction], [TunnelKey], [Csum], [Nat],
// [BPFAction], [CT], [Connmark], [Sample], [MPLSAction], [Simple], or
// [RawAction] for a kind this package does not know. Only this package
// implements it.
type ActionKind interface {
	// ActionKind returns the kind's name, as tc names it ("mirred").
	ActionKind() string
	// appendOptions validates the settings and appends the attributes
	// inside TCA_ACT_OPTIONS, with the generic part (index, control)
	// from a.
	appendOptions(e *nla.Encoder, a *Action) error
}

// gen fills the tc_gen header that starts every action's parameters
// (index, capab, action, refcnt, bindcnt) with the action's index and
// control, def when the control is unset.
func (a *Action) gen(p []byte, def Verdict) {
	if len(p) < tcGenLen {
		return
	}
	native.PutUint32(p[0:], a.Index)
	native.PutUint32(p[8:], uint32(a.Control.Or(def)))
}

// tcGenLen is the size of tc_gen.
const tcGenLen = 20

// errNoActionKind refuses an action without a kind.
var errNoActionKind = errors.New("tc: action has no kind")

func (a *Action) validate() error {
	if a.Kind == nil {
		return errNoActionKind
	}
	if len(a.Cookie) > maxCookie {
		return fmt.Errorf("tc: action %s: cookie of %d bytes, at most %d", a.Kind.ActionKind(), len(a.Cookie), maxCookie)
	}
	if v, ok := a.Control.Get(); ok {
		if err := checkVerdict(v); err != nil {
			return fmt.Errorf("tc: action %s: %w", a.Kind.ActionKind(), err)
		}
	}
	return nil
}

// checkVerdict refuses a verdict the kernel does not know.
func checkVerdict(v Verdict) error {
	if uint32(v)&verdictExtMask == verdictGotoChain || uint32(v)&verdictExtMask == verdictJump {
		return nil
	}
	if v < VerdictContinue || v > VerdictTrap {
		return fmt.Errorf("invalid verdict %d", int32(v))
	}
	return nil
}

// appendActions appends the list acts as attribute typ (TCA_U32_ACT,
// TCA_ACT_TAB, ...), as tc's parse_action does: one plain nest per
// action, numbered from 1, holding the kind, the options (flagged
// NLA_F_NESTED), the cookie and the flags.
func appendActions(e *nla.Encoder, typ uint16, acts []Action) error {
	if len(acts) > MaxActions {
		return fmt.Errorf("tc: %d actions, at most %d in one list", len(acts), MaxActions)
	}
	list := rtnl.BeginPlain(e, typ)
	for i := range acts {
		if err := appendAction(e, uint16(i+1), &acts[i]); err != nil {
			return err
		}
	}
	list.End(e)
	return nil
}

func appendAction(e *nla.Encoder, prio uint16, a *Action) error {
	if err := a.validate(); err != nil {
		return err
	}
	n := rtnl.BeginPlain(e, prio)
	e.String(tcaActKind, a.Kind.ActionKind())
	opts := e.BeginNest(tcaActOptions)
	if err := a.Kind.appendOptions(e, a); err != nil {
		return fmt.Errorf("tc: action %s: %w", a.Kind.ActionKind(), err)
	}
	e.EndNest(opts)
	if len(a.Cookie) > 0 {
		e.Binary(tcaActCookie, a.Cookie)
	}
	if a.Flags != 0 {
		if p := structAttr(e, tcaActFlags, 8); p != nil {
			native.PutUint32(p, a.Flags)
			native.PutUint32(p[4:], a.Flags)
		}
	}
	n.End(e)
	return nil
}

// ActionView is one action of a dumped filter or action table: a lazy
// view of its attributes, valid as long as the message it was read from.
type ActionView struct {
	// Order is the action's position in its list, from 1.
	Order uint16
	c     nla.Chain
}

// Kind returns the action's kind ("gact").
func (v ActionView) Kind() string {
	a, ok := v.c.Get(tcaActKind)
	if !ok {
		return ""
	}
	s, _ := a.TextBytes()
	return string(s)
}

// KindBytes returns the action's kind without copying.
func (v ActionView) KindBytes() []byte {
	a, ok := v.c.Get(tcaActKind)
	if !ok {
		return nil
	}
	s, _ := a.TextBytes()
	return s
}

// Options returns the kind's attributes (TCA_ACT_OPTIONS).
func (v ActionView) Options() nla.Chain {
	a, _ := v.c.Get(tcaActOptions)
	return a.Nested()
}

// Index returns the action's index in its kind's table, from its
// parameters' tc_gen (where every kind puts it) or TCA_ACT_INDEX.
func (v ActionView) Index() uint32 {
	if a, ok := v.c.Get(tcaActIndex); ok {
		if n, err := a.Uint32(); err == nil {
			return n
		}
	}
	if g := v.genBytes(); g != nil {
		return native.Uint32(g)
	}
	return 0
}

// Control returns the verdict after the action, from tc_gen.
func (v ActionView) Control() (Verdict, bool) {
	g := v.genBytes()
	if g == nil {
		return 0, false
	}
	return Verdict(native.Uint32(g[8:])), true
}

// RefCount and BindCount return tc_gen's reference and binding counts:
// how many holders the action has, and how many filters bind it.
func (v ActionView) RefCount() int32 {
	if g := v.genBytes(); g != nil {
		return int32(native.Uint32(g[12:]))
	}
	return 0
}

// BindCount returns how many filters bind the action.
func (v ActionView) BindCount() int32 {
	if g := v.genBytes(); g != nil {
		return int32(native.Uint32(g[16:]))
	}
	return 0
}

// Cookie returns the action's cookie, without copying.
func (v ActionView) Cookie() []byte {
	a, _ := v.c.Get(tcaActCookie)
	return a.Data
}

// Flags returns TCA_ACT_FLAGS' value.
func (v ActionView) Flags() uint32 {
	a, ok := v.c.Get(tcaActFlags)
	if !ok || len(a.Data) < 4 {
		return 0
	}
	return native.Uint32(a.Data)
}

// Stats returns the action's statistics (TCA_ACT_STATS: a chain of
// TCA_STATS_* attributes).
func (v ActionView) Stats() nla.Chain {
	a, _ := v.c.Get(tcaActStats)
	return a.Nested()
}

// Attrs returns the action's own attributes (TCA_ACT_*).
func (v ActionView) Attrs() nla.Chain { return v.c }

// parmsType is the attribute that carries each kind's parameters, which
// start with tc_gen: 2 for most, 1 for connmark, ct, nat, police, csum.
func parmsType(kind []byte) uint16 {
	switch string(kind) {
	case "connmark", "ct", "csum", "nat", "police", "ctinfo", "skbmod":
		return 1
	}
	return 2
}

func (v ActionView) genBytes() []byte {
	k := v.KindBytes()
	a, ok := v.Options().Get(parmsType(k))
	if !ok || len(a.Data) < tcGenLen {
		return nil
	}
	if string(k) == "police" {
		return nil // tc_police does not start with tc_gen
	}
	return a.Data
}

// Decode decodes the action into an [Action] whose Kind is the typed
// settings of a kind this package knows, or a [RawAction].
func (v ActionView) Decode() (Action, error) {
	a := Action{Index: v.Index(), Flags: v.Flags()}
	if c := v.Cookie(); len(c) > 0 {
		a.Cookie = append([]byte(nil), c...)
	}
	kind := v.Kind()
	if kind == "" {
		return a, errors.New("tc: action without a kind")
	}
	if ctl, ok := v.Control(); ok {
		a.Control = rtm.Some(ctl)
	}
	k, err := decodeActionKind(kind, v.Options())
	if err != nil {
		return a, fmt.Errorf("tc: action %s: %w", kind, err)
	}
	a.Kind = k
	if p, ok := k.(*Police); ok {
		a.Index = p.index
		a.Control = rtm.Opt[Verdict]{}
	}
	return a, nil
}

// Actions yields the actions of a list attribute's payload (TCA_U32_ACT,
// TCA_ACT_TAB, ...) in order.
func Actions(list nla.Chain) func(yield func(ActionView) bool) {
	return func(yield func(ActionView) bool) {
		for a := range list.All() {
			if !yield(ActionView{Order: a.Kind(), c: a.Nested()}) {
				return
			}
		}
	}
}

// DecodeActions decodes a list of actions (the payload of TCA_U32_ACT,
// TCA_ACT_TAB, ...).
func DecodeActions(list nla.Chain) ([]Action, error) {
	var out []Action
	for v := range Actions(list) {
		a, err := v.Decode()
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, list.Err()
}

// RawAction is an action of a kind this package does not decode, kept as
// its name and the bytes of its options, which it sends back unchanged.
type RawAction struct {
	Name    string
	Options []byte
}

// ActionKind returns the kind's name.
func (r *RawAction) ActionKind() string { return r.Name }

func (r *RawAction) appendOptions(e *nla.Encoder, _ *Action) error {
	if err := nla.Chain(r.Options).Err(); err != nil {
		return err
	}
	p := e.Reserve(len(r.Options))
	copy(p, r.Options)
	return nil
}

// decodeActionKind decodes the options of the kind named kind.
func decodeActionKind(kind string, opts nla.Chain) (ActionKind, error) {
	if err := opts.Err(); err != nil {
		return nil, err
	}
	var k interface {
		ActionKind
		decode(nla.Chain) error
	}
	switch kind {
	case "gact":
		k = new(Gact)
	case "mirred":
		k = new(Mirred)
	case "police":
		k = new(Police)
	case "skbedit":
		k = new(SkbEdit)
	case "pedit":
		k = new(Pedit)
	case "vlan":
		k = new(VlanAction)
	case "tunnel_key":
		k = new(TunnelKey)
	case "csum":
		k = new(Csum)
	case "nat":
		k = new(Nat)
	case "bpf":
		k = new(BPFAction)
	case "ct":
		k = new(CT)
	case "connmark":
		k = new(Connmark)
	case "sample":
		k = new(Sample)
	case "mpls":
		k = new(MPLSAction)
	case "simple":
		k = new(Simple)
	default:
		return &RawAction{Name: kind, Options: append([]byte(nil), opts...)}, nil
	}
	return k, k.decode(opts)
}

// parms returns the payload of the parameters attribute typ, checking it
// holds at least n bytes.
func parms(opts nla.Chain, typ uint16, n int) ([]byte, error) {
	a, ok := opts.Get(typ)
	if !ok {
		return nil, errors.New("no parameters")
	}
	if len(a.Data) < n {
		return nil, fmt.Errorf("parameters of %d bytes, want %d", len(a.Data), n)
	}
	return a.Data, nil
}
