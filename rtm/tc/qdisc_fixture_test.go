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
	{name: "htb", args: "qdisc add dev p0 root handle 1: htb default 10", req: tc.QdiscAdd(root1(&tc.HTB{Default: 0x10})), opts: &tc.HTB{Default: 0x10, R2Q: 10, Version: 3}},
	{name: "htb-all", args: "qdisc add dev p0 root handle 1: htb default 1a r2q 5 direct_qlen 100 offload", req: tc.QdiscAdd(root1(&tc.HTB{Default: 0x1a, R2Q: 5, DirectQlen: u32p(100), Offload: true})), opts: &tc.HTB{Default: 0x1a, R2Q: 5, DirectQlen: u32p(100), Offload: true, Version: 3}},
	{name: "tbf", args: "qdisc add dev p0 root tbf rate 1mbit burst 32k latency 50ms", req: tc.QdiscAdd(root(&tc.TBF{Rate: 125000, Burst: 32768, Latency: 50000})), opts: &tc.TBF{Rate: 125000, Burst: 32768, Limit: 125000*50000/1000000 + 32768}},
	{name: "tbf-peak", args: "qdisc add dev p0 root tbf rate 10mbit burst 10k limit 30000 peakrate 20mbit mtu 1600 mpu 64 overhead 4", req: tc.QdiscAdd(root(&tc.TBF{Rate: 1250000, Burst: 10240, Limit: 30000, PeakRate: 2500000, MTU: 1600, MPU: 64, Overhead: 4}))},
	{name: "tbf-64", args: "qdisc add dev p0 root tbf rate 50gbit burst 1m limit 100000", req: tc.QdiscAdd(root(&tc.TBF{Rate: 6250000000, Burst: 1 << 20, Limit: 100000}))},
	{name: "tbf-atm", args: "qdisc add dev p0 root tbf rate 2mbit burst 5000 latency 20ms linklayer atm", req: tc.QdiscAdd(root(&tc.TBF{Rate: 250000, Burst: 5000, Latency: 20000, Linklayer: tc.LinklayerATM})), opts: &tc.TBF{Rate: 250000, Burst: 5000, Limit: 10000, Linklayer: tc.LinklayerATM}},
}

var classFixtures = []fixture{
	{name: "htb-class", args: "class add dev p0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit burst 1600 cburst 1600", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x10), Options: &tc.HTBClass{Rate: 125000, Ceil: 250000, Burst: 1600, CBurst: 1600}})},
	{name: "htb-class-default", args: "class add dev p0 parent 1:1 classid 1:20 htb rate 100kbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 1), Handle: tc.MakeHandle(1, 0x20), Options: &tc.HTBClass{Rate: 12500}}), opts: &tc.HTBClass{Rate: 12500, Ceil: 12500, Burst: 1600, CBurst: 1600}},
	{name: "htb-class-all", args: "class replace dev p0 parent 1: classid 1:30 htb rate 10gbit ceil 40gbit prio 2 quantum 3000 mtu 9000 mpu 64 overhead 8 linklayer atm", req: tc.ClassReplace(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x30), Options: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MTU: 9000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM}}), opts: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM, Burst: 7500, CBurst: 0}},
	{name: "class-del", args: "class del dev p0 classid 1:10", req: tc.ClassDel(tc.ClassSpec{Ifindex: p0, Handle: tc.MakeHandle(1, 0x10)})},
}

func u32p(v uint32) *uint32 { return &v }

func TestClassRequestsAsTC(t *testing.T) { checkFixtures(t, classFixtures) }

func TestQdiscRequestsAsTC(t *testing.T) { checkFixtures(t, qdiscFixtures) }
