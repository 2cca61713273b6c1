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
	{name: "fq_codel", args: "qdisc add dev p0 root fq_codel", req: tc.QdiscAdd(root(&tc.FQCodel{}))},
	{name: "fq_codel-all", args: "qdisc add dev p0 root fq_codel limit 10240 flows 1024 quantum 1514 target 5ms interval 100ms ecn ce_threshold 2ms ce_threshold_selector 0x10/0xf0 memory_limit 32m drop_batch 64", req: tc.QdiscAdd(root(&tc.FQCodel{Limit: 10240, Flows: 1024, Quantum: 1514, Target: 5000, Interval: 100000, ECN: boolp(true), CEThreshold: timep(2000), CESelector: u8p(0x10), CEMask: u8p(0xf0), MemoryLimit: u32p(32 << 20), DropBatch: 64}))},
	{name: "fq_codel-noecn", args: "qdisc add dev p0 root fq_codel noecn", req: tc.QdiscAdd(root(&tc.FQCodel{ECN: boolp(false)}))},
	{name: "prio", args: "qdisc add dev p0 root handle 1: prio", req: tc.QdiscAdd(root1(&tc.Prio{})), opts: &tc.Prio{Bands: 3, Priomap: tc.DefaultPriomap}},
	{name: "prio-map", args: "qdisc add dev p0 root handle 1: prio bands 4 priomap 3 2 1 0 0 0 0 0 1 1 1 1 2 2 2 3 multiqueue", req: tc.QdiscAdd(root1(&tc.Prio{Bands: 4, Priomap: [16]uint8{3, 2, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3}, Multiqueue: true}))},
	{name: "sfq", args: "qdisc add dev p0 root sfq", req: tc.QdiscAdd(root(&tc.SFQ{}))},
	{name: "sfq-all", args: "qdisc add dev p0 root sfq perturb 10 quantum 1514 limit 127 divisor 1024 flows 64 depth 32 headdrop", req: tc.QdiscAdd(root(&tc.SFQ{Perturb: 10, Quantum: 1514, Limit: 127, Divisor: 1024, Flows: 64, Depth: 32, HeadDrop: true}))},
	{name: "netem", args: "qdisc add dev p0 root netem delay 100ms", req: tc.QdiscAdd(root(&tc.Netem{Latency: 100000})), opts: &tc.Netem{Latency: 100000, Limit: 1000}},
	{name: "netem-all", args: "qdisc add dev p0 root netem limit 500 delay 100ms 10ms 25% loss 1% 30% duplicate 2% 5% reorder 25% 50% gap 5 corrupt 0.1% 3% ecn rate 1mbit 20 100 -5", req: tc.QdiscAdd(root(&tc.Netem{Limit: 500, Latency: 100000, Jitter: 10000, DelayCorr: tc.PercentOf(25), Loss: tc.PercentOf(1), LossCorr: tc.PercentOf(30), Duplicate: tc.PercentOf(2), DupCorr: tc.PercentOf(5), Reorder: tc.PercentOf(25), ReorderCorr: tc.PercentOf(50), Gap: 5, Corrupt: tc.PercentOf(0.1), CorruptCorr: tc.PercentOf(3), ECN: true, Rate: 125000, PacketOverhead: 20, CellSize: 100, CellOverhead: -5}))},
	{name: "netem-gi", args: "qdisc add dev p0 root netem loss state 1% 20% 3% 40% 5%", req: tc.QdiscAdd(root(&tc.Netem{LossGI: &tc.NetemGI{P13: tc.PercentOf(1), P31: tc.PercentOf(20), P32: tc.PercentOf(3), P23: tc.PercentOf(40), P14: tc.PercentOf(5)}})), opts: &tc.Netem{Limit: 1000, LossGI: &tc.NetemGI{P13: tc.PercentOf(1), P31: tc.PercentOf(20), P32: tc.PercentOf(3), P23: tc.PercentOf(40), P14: tc.PercentOf(5)}}},
	{name: "netem-ge", args: "qdisc add dev p0 root netem loss gemodel 1% 10% 70% 0.1%", req: tc.QdiscAdd(root(&tc.Netem{LossGE: &tc.NetemGE{P: tc.PercentOf(1), R: tc.PercentOf(10), H: ^tc.PercentOf(70), K1: tc.PercentOf(0.1)}})), opts: &tc.Netem{Limit: 1000, LossGE: &tc.NetemGE{P: tc.PercentOf(1), R: tc.PercentOf(10), H: ^tc.PercentOf(70), K1: tc.PercentOf(0.1)}}},
	{name: "netem-slot", args: "qdisc add dev p0 root netem slot 1ms 2ms packets 10 bytes 5000", req: tc.QdiscAdd(root(&tc.Netem{Slot: &tc.NetemSlot{MinDelay: 1000000, MaxDelay: 2000000, MaxPackets: 10, MaxBytes: 5000}})), opts: &tc.Netem{Limit: 1000, Slot: &tc.NetemSlot{MinDelay: 1000000, MaxDelay: 2000000, MaxPackets: 10, MaxBytes: 5000}}},
	{name: "netem-rate64", args: "qdisc add dev p0 root netem rate 100gbit", req: tc.QdiscAdd(root(&tc.Netem{Rate: 12500000000})), opts: &tc.Netem{Limit: 1000, Rate: 12500000000}},
}

func boolp(v bool) *bool       { return &v }
func u8p(v uint8) *uint8       { return &v }
func timep(v tc.Time) *tc.Time { return &v }

var classFixtures = []fixture{
	{name: "htb-class", args: "class add dev p0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit burst 1600 cburst 1600", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x10), Options: &tc.HTBClass{Rate: 125000, Ceil: 250000, Burst: 1600, CBurst: 1600}})},
	{name: "htb-class-default", args: "class add dev p0 parent 1:1 classid 1:20 htb rate 100kbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 1), Handle: tc.MakeHandle(1, 0x20), Options: &tc.HTBClass{Rate: 12500}}), opts: &tc.HTBClass{Rate: 12500, Ceil: 12500, Burst: 1600, CBurst: 1600}},
	{name: "htb-class-all", args: "class replace dev p0 parent 1: classid 1:30 htb rate 10gbit ceil 40gbit prio 2 quantum 3000 mtu 9000 mpu 64 overhead 8 linklayer atm", req: tc.ClassReplace(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x30), Options: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MTU: 9000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM}}), opts: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM, Burst: 7500, CBurst: 0}},
	{name: "class-del", args: "class del dev p0 classid 1:10", req: tc.ClassDel(tc.ClassSpec{Ifindex: p0, Handle: tc.MakeHandle(1, 0x10)})},
}

func u32p(v uint32) *uint32 { return &v }

func TestClassRequestsAsTC(t *testing.T) { checkFixtures(t, classFixtures) }

func TestQdiscRequestsAsTC(t *testing.T) { checkFixtures(t, qdiscFixtures) }
