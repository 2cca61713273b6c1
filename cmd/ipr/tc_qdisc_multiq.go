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

// parsePlug is tc's plug_parse_opt.
func parsePlug(_ *env, a *args, _ string) (tc.QdiscOptions, error) {
	o := &tc.Plug{}
	return o, readKindOpts(a, "plug: unknown parameter %q",
		opt("block", setValue(&o.Action, tc.PlugBuffer)), opt("release", setValue(&o.Action, tc.PlugReleaseOne)),
		opt("release_indefinite", setValue(&o.Action, tc.PlugReleaseIndefinite)),
		opt("limit", func(a *args, w string) (err error) {
			o.Action = tc.PlugLimit
			o.Limit, err = sizeArg(a, w)
			return err
		}))
}

// printMultiQ is tc's multiq_print_opt (fprintf: text even in JSON).
func printMultiQ(p *printer, _ *env, q tc.Qdisc) {
	if b := q.Options(); len(b) >= 4 {
		p.raw("bands " + itoa(int(binary.NativeEndian.Uint16(b))) + "/" + itoa(int(binary.NativeEndian.Uint16(b[2:]))) + " ")
	}
}
