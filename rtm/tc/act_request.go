package tc

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// ActionRef names a standalone action: its kind and its index in the
// kind's table.
type ActionRef struct {
	Kind  string
	Index uint32
}

// actionsSpec is what the standalone action requests send: actions to
// create, references to delete, or a kind to flush.
type actionsSpec struct {
	acts  []Action
	refs  []ActionRef
	flush string
}

// The standalone action changes, with the flags tc sends.
var (
	actionAddOp     = change{"action add", unix.RTM_NEWACTION, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	actionReplaceOp = change{"action replace", unix.RTM_NEWACTION, unix.NLM_F_CREATE | unix.NLM_F_REPLACE}
	actionDelOp     = change{"action del", unix.RTM_DELACTION, 0}
	actionFlushOp   = change{"action flush", unix.RTM_DELACTION, unix.NLM_F_ROOT}
)

type actionRequest = specRequest[actionsSpec, *actionsSpec]

// ActionAdd is the request to create standalone actions, which filters
// then bind by index ("tc actions add action gact drop index 5"); with
// an index that exists, it fails with EEXIST.
func ActionAdd(acts ...Action) rtm.Request {
	return &actionRequest{actionAddOp, actionsSpec{acts: acts}}
}

// ActionReplace is the request to create standalone actions or replace
// those with the same kind and index ("tc actions replace", which tc's
// "actions change" sends too).
func ActionReplace(acts ...Action) rtm.Request {
	return &actionRequest{actionReplaceOp, actionsSpec{acts: acts}}
}

// ActionDel is the request to delete standalone actions ("tc actions del
// action gact index 5").
func ActionDel(refs ...ActionRef) rtm.Request {
	return &actionRequest{actionDelOp, actionsSpec{refs: refs}}
}

// ActionFlush is the request to delete every action of a kind ("tc
// actions flush action gact").
func ActionFlush(kind string) rtm.Request {
	return &actionRequest{actionFlushOp, actionsSpec{flush: kind}}
}

func (s *actionsSpec) opName(verb string) string {
	b := []byte(verb)
	switch {
	case s.flush != "":
		b = append(b, ' ')
		b = append(b, s.flush...)
	case len(s.refs) > 0:
		b = append(b, ' ')
		b = append(b, s.refs[0].Kind...)
		b = append(b, " index "...)
		b = strconv.AppendUint(b, uint64(s.refs[0].Index), 10)
	case len(s.acts) > 0 && s.acts[0].Kind != nil:
		b = append(b, ' ')
		b = append(b, s.acts[0].Kind.ActionKind()...)
		if s.acts[0].Index != 0 {
			b = append(b, " index "...)
			b = strconv.AppendUint(b, uint64(s.acts[0].Index), 10)
		}
	}
	return string(b)
}

// checkActionKind refuses a kind name the kernel cannot hold.
func checkActionKind(k string) error {
	if k == "" || len(k) >= 16 {
		return fmt.Errorf("invalid action kind %q", k)
	}
	return nil
}

func (s *actionsSpec) encode(r *rtnl.Req, c change) error {
	b := r.B
	switch {
	case s.flush != "":
		if err := checkActionKind(s.flush); err != nil {
			return err
		}
		beginAction(r, c)
		tab := rtnl.BeginPlain(&b.Encoder, tcaActTab)
		n := rtnl.BeginPlain(&b.Encoder, 1)
		b.String(tcaActKind, s.flush)
		n.End(&b.Encoder)
		tab.End(&b.Encoder)
		appendLargeDump(r)
	case len(s.refs) > 0:
		if len(s.refs) > MaxActions {
			return fmt.Errorf("%d actions, at most %d", len(s.refs), MaxActions)
		}
		for _, ref := range s.refs {
			if err := checkActionKind(ref.Kind); err != nil {
				return err
			}
			if ref.Index == 0 {
				return fmt.Errorf("action %s: no index", ref.Kind)
			}
		}
		beginAction(r, c)
		appendActionRefs(r, s.refs)
	case len(s.acts) > 0:
		beginAction(r, c)
		if err := appendActions(&b.Encoder, tcaActTab, s.acts); err != nil {
			return err
		}
	default:
		return errors.New("no actions")
	}
	b.End()
	return b.Err()
}

// beginAction starts an action message: its fixed header is a tcamsg.
func beginAction(r *rtnl.Req, c change) {
	r.B.Begin(c.typ, c.flags)
	r.B.Fixed(tcamsgLen)
}

// appendActionRefs appends TCA_ACT_TAB naming actions by kind and index,
// as tc's delete and get do.
func appendActionRefs(r *rtnl.Req, refs []ActionRef) {
	e := &r.B.Encoder
	tab := rtnl.BeginPlain(e, tcaActTab)
	for i, ref := range refs {
		n := rtnl.BeginPlain(e, uint16(i+1))
		e.String(tcaActKind, ref.Kind)
		e.Uint32(tcaActIndex, ref.Index)
		n.End(e)
	}
	tab.End(e)
}

// appendLargeDump asks for large dumps (TCA_ROOT_FLAGS with
// TCA_ACT_FLAG_LARGE_DUMP_ON), as tc does for flushes and lists.
func appendLargeDump(r *rtnl.Req) {
	if p := structAttr(&r.B.Encoder, tcaRootFlags, 8); p != nil {
		native.PutUint32(p, 1)
		native.PutUint32(p[4:], 1)
	}
}

// actionGetOp asks for standalone actions by kind and index ("tc actions
// get").
var actionGetOp = change{"action get", unix.RTM_GETACTION, 0}

// actionGet is the request for standalone actions by reference.
func actionGet(refs ...ActionRef) rtm.Request {
	return &actionRequest{actionGetOp, actionsSpec{refs: refs}}
}
