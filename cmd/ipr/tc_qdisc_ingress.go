package main

// The ingress and clsact qdiscs (tc's q_ingress.c, q_clsact.c).

import "github.com/ipr-go/ipr/rtm/tc"

func parseIngress(_ *env, a *args, kind string) (tc.QdiscOptions, error) {
	for a.more() {
		if w := a.advance(); w != "handle" {
			return nil, tcKindError("What is %q?\nUsage: ... %s", w, kind)
		}
		if _, err := a.value("handle"); err != nil {
			return nil, err
		}
	}
	if kind == "clsact" {
		return &tc.Clsact{}, nil
	}
	return &tc.Ingress{}, nil
}

func printIngress(p *printer, _ *env, _ tc.Qdisc) { p.textString("---------------- ") }
