package main

// The multiq and plug qdiscs (tc's q_multiq.c, q_plug.c).

import (
	"encoding/binary"

	"github.com/ipr-go/ipr/rtm/tc"
)

func parseMultiQ(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	if a.more() {
		return nil, tcKindError("What is %q?\nUsage: ... multiq [help]", a.peek())
	}
	return &tc.MultiQ{}, nil
}

func parsePlug(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Plug{}
	for a.more() {
		switch w := a.advance(); w {
		case "block":
			o.Action = tc.PlugBuffer
		case "release":
			o.Action = tc.PlugReleaseOne
		case "release_indefinite":
			o.Action = tc.PlugReleaseIndefinite
		case "limit":
			o.Action = tc.PlugLimit
			v, err := sizeArg(a, w)
			if err != nil {
				return nil, err
			}
			o.Limit = v
		default:
			return nil, tcKindError("%s: unknown parameter %q", "plug", w)
		}
	}
	return o, nil
}

// printMultiQ is tc's multiq_print_opt (fprintf: text even in JSON).
func printMultiQ(p *printer, _ *env, q tc.Qdisc) {
	if b := q.Options(); len(b) >= 4 {
		p.raw("bands " + itoa(int(binary.NativeEndian.Uint16(b))) + "/" + itoa(int(binary.NativeEndian.Uint16(b[2:]))) + " ")
	}
}
