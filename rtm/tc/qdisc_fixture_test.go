package tc_test

import (
	"testing"

	"github.com/ipr-go/ipr/rtm/tc"
)

// The indexes of the fixture namespace's veth pair.
const (
	p0 = 3
	p1 = 2
)

func root(opts tc.QdiscOptions) tc.QdiscSpec {
	return tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Options: opts}
}

func root1(opts tc.QdiscOptions) tc.QdiscSpec {
	return tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0), Options: opts}
}

var qdiscFixtures = []fixture{
	{name: "pfifo", args: "qdisc add dev p0 root pfifo limit 10", req: tc.QdiscAdd(root(&tc.FIFO{Name: "pfifo", Limit: 10}))},
	{name: "bfifo", args: "qdisc add dev p0 root handle 1: bfifo limit 10000", req: tc.QdiscAdd(root1(&tc.FIFO{Name: "bfifo", Limit: 10000}))},
	{name: "pfifo_head_drop", args: "qdisc replace dev p0 root pfifo_head_drop limit 5", req: tc.QdiscReplace(root(&tc.FIFO{Name: "pfifo_head_drop", Limit: 5}))},
	{name: "pfifo-nolimit", args: "qdisc add dev p0 root pfifo", req: tc.QdiscAdd(root(&tc.FIFO{Name: "pfifo"}))},
	{name: "ingress", args: "qdisc add dev p0 ingress", req: tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleIngress, Options: &tc.Ingress{}})},
	{name: "clsact", args: "qdisc add dev p1 clsact", req: tc.QdiscAdd(tc.QdiscSpec{Ifindex: p1, Parent: tc.HandleClsact, Options: &tc.Clsact{}})},
	{name: "clsact-blocks", args: "qdisc add dev p1 ingress_block 10 egress_block 20 clsact", req: tc.QdiscAdd(tc.QdiscSpec{Ifindex: p1, Parent: tc.HandleClsact, Options: &tc.Clsact{}, IngressBlock: 10, EgressBlock: 20})},
	{name: "del-root", args: "qdisc del dev p0 root", req: tc.QdiscDel(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot})},
	{name: "mq", args: "qdisc add dev p0 root handle 1: mq", req: tc.QdiscAdd(root1(&tc.Bare{Name: "mq"}))},
	{name: "estimator", args: "qdisc add dev p0 root handle 1: estimator 1s 8s pfifo limit 100", req: tc.QdiscAdd(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0), Estimator: &tc.Estimator{Interval: 0, EWMALog: 3}, Options: &tc.FIFO{Name: "pfifo", Limit: 100}})},
	{name: "link", args: "qdisc link dev p0 root handle 1:", req: tc.QdiscLink(tc.QdiscSpec{Ifindex: p0, Parent: tc.HandleRoot, Handle: tc.MakeHandle(1, 0)})},
}

func TestQdiscRequestsAsTC(t *testing.T) { checkFixtures(t, qdiscFixtures) }
