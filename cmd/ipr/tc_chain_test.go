package main

import (
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
)

// chainCommandRequest parses a captured "tc chain VERB ..." line as ipr
// does; nil for a get, which is not a request value.
func chainCommandRequest(a *tcArgs, verb string, links map[string]int32) (rtm.Request, error) {
	c, err := parseFilterCmd(a)
	if err != nil {
		return nil, err
	}
	if c.dev != "" {
		c.spec.Ifindex = links[c.dev]
	}
	s := chainSpecOf(c, a.list)
	switch verb {
	case "add":
		return tc.ChainAdd(s), nil
	case "del":
		return tc.ChainDel(s), nil
	}
	return nil, nil
}

// TestChainMatchesTC adds and deletes chains with ipr and compares ipr's
// listings with tc's, text and JSON, and the errors of both.
func TestChainMatchesTC(t *testing.T) {
	nstest.Require(t, "qdisc:clsact", "cls:u32")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.Run(t, ns, "tc", "qdisc", "add", "dev", "p0", "clsact")
	iprSetup(t, ns,
		"chain add dev p0 ingress chain 1",
		"chain add dev p0 egress chain 5",
		"filter add dev p0 ingress chain 3 prio 1 protocol ip u32 match ip dst 10.0.0.0/8")
	// tc's "Error: " messages must be ipr's too.
	errorsDiffer := func(ipr, tc tcResult) bool {
		return strings.HasPrefix(tc.errs, "Error: ") && !strings.Contains(ipr.errs, strings.SplitN(tc.errs, "\n", 2)[0])
	}
	compareWithTC(t, ns, errorsDiffer,
		"chain show dev p0 ingress", "chain ls dev p0 egress", "chain show dev p0", "chain show", "chain",
		"-j chain show dev p0 ingress", "-j chain show dev p0 egress", "-j chain show",
		"chain get dev p0 ingress chain 3", "-j chain get dev p0 egress chain 5",
		"chain get dev p0 ingress chain 9", "chain add dev p0 ingress chain 1",
		"chain add dev p0 ingress chain 4 protocol ip u32", "chain del dev p0 ingress chain 8",
		"chain show dev nosuch", "chain add dev nosuch ingress chain 1")
	iprSetup(t, ns, "chain del dev p0 ingress chain 1", "chain delete dev p0 ingress chain 3")
	if out, _, _ := tcRun(t, ns, "chain", "show", "dev", "p0", "ingress"); out != "" {
		t.Errorf("chains left: %q", out)
	}
	if out, _, _ := tcRun(t, ns, "filter", "show", "dev", "p0", "ingress"); out != "" {
		t.Errorf("filters left: %q", out)
	}
}
