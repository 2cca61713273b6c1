package tc_test

import (
	"testing"

	"github.com/ipr-go/ipr/rtm"
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
	{name: "htb-all", args: "qdisc add dev p0 root handle 1: htb default 1a r2q 5 direct_qlen 100 offload", req: tc.QdiscAdd(root1(&tc.HTB{Default: 0x1a, R2Q: 5, DirectQlen: rtm.Some[uint32](100), Offload: true})), opts: &tc.HTB{Default: 0x1a, R2Q: 5, DirectQlen: rtm.Some[uint32](100), Offload: true, Version: 3}},
	{name: "tbf", args: "qdisc add dev p0 root tbf rate 1mbit burst 32k latency 50ms", req: tc.QdiscAdd(root(&tc.TBF{Rate: 125000, Burst: 32768, Latency: 50000})), opts: &tc.TBF{Rate: 125000, Burst: 32768, Limit: 125000*50000/1000000 + 32768}},
	{name: "tbf-peak", args: "qdisc add dev p0 root tbf rate 10mbit burst 10k limit 30000 peakrate 20mbit mtu 1600 mpu 64 overhead 4", req: tc.QdiscAdd(root(&tc.TBF{Rate: 1250000, Burst: 10240, Limit: 30000, PeakRate: 2500000, MTU: 1600, MPU: 64, Overhead: 4}))},
	{name: "tbf-64", args: "qdisc add dev p0 root tbf rate 50gbit burst 1m limit 100000", req: tc.QdiscAdd(root(&tc.TBF{Rate: 6250000000, Burst: 1 << 20, Limit: 100000}))},
	{name: "tbf-atm", args: "qdisc add dev p0 root tbf rate 2mbit burst 5000 latency 20ms linklayer atm", req: tc.QdiscAdd(root(&tc.TBF{Rate: 250000, Burst: 5000, Latency: 20000, Linklayer: tc.LinklayerATM})), opts: &tc.TBF{Rate: 250000, Burst: 5000, Limit: 10000, Linklayer: tc.LinklayerATM}},
	{name: "fq_codel", args: "qdisc add dev p0 root fq_codel", req: tc.QdiscAdd(root(&tc.FQCodel{}))},
	{name: "fq_codel-all", args: "qdisc add dev p0 root fq_codel limit 10240 flows 1024 quantum 1514 target 5ms interval 100ms ecn ce_threshold 2ms ce_threshold_selector 0x10/0xf0 memory_limit 32m drop_batch 64", req: tc.QdiscAdd(root(&tc.FQCodel{Limit: 10240, Flows: 1024, Quantum: 1514, Target: 5000, Interval: 100000, ECN: rtm.Some(true), CEThreshold: rtm.Some[tc.Time](2000), CESelector: rtm.Some[uint8](0x10), CEMask: rtm.Some[uint8](0xf0), MemoryLimit: rtm.Some[uint32](32 << 20), DropBatch: 64}))},
	{name: "fq_codel-noecn", args: "qdisc add dev p0 root fq_codel noecn", req: tc.QdiscAdd(root(&tc.FQCodel{ECN: rtm.Some(false)}))},
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
	{name: "codel", args: "qdisc add dev p0 root codel limit 1000 target 5ms interval 100ms ecn ce_threshold 1ms", req: tc.QdiscAdd(root(&tc.Codel{Limit: rtm.Some[uint32](1000), Target: rtm.Some[tc.Time](5000), Interval: rtm.Some[tc.Time](100000), ECN: rtm.Some(true), CEThreshold: rtm.Some[tc.Time](1000)}))},
	{name: "codel-noecn", args: "qdisc add dev p0 root codel noecn", req: tc.QdiscAdd(root(&tc.Codel{ECN: rtm.Some(false)}))},
	{name: "pie", args: "qdisc add dev p0 root pie limit 1000 target 15ms tupdate 15ms alpha 2 beta 20 ecn bytemode dq_rate_estimator", req: tc.QdiscAdd(root(&tc.PIE{Limit: rtm.Some[uint32](1000), Target: rtm.Some[tc.Time](15000), TUpdate: rtm.Some[tc.Time](15000), Alpha: rtm.Some[uint32](2), Beta: rtm.Some[uint32](20), ECN: rtm.Some(true), ByteMode: rtm.Some(true), DQRateEstimator: rtm.Some(true)}))},
	{name: "fq_pie", args: "qdisc add dev p0 root fq_pie limit 10240 flows 1024 target 15ms tupdate 15ms alpha 2 beta 20 quantum 1514 memory_limit 32m ecn_prob 10 ecn nobytemode", req: tc.QdiscAdd(root(&tc.PIE{Name: "fq_pie", Limit: rtm.Some[uint32](10240), Flows: rtm.Some[uint32](1024), Target: rtm.Some[tc.Time](15000), TUpdate: rtm.Some[tc.Time](15000), Alpha: rtm.Some[uint32](2), Beta: rtm.Some[uint32](20), Quantum: rtm.Some[uint32](1514), MemoryLimit: rtm.Some[uint32](32 << 20), ECNProb: rtm.Some[uint32](10), ECN: rtm.Some(true), ByteMode: rtm.Some(false)}))},
	{name: "drr", args: "qdisc add dev p0 root handle 1: drr", req: tc.QdiscAdd(root1(&tc.Bare{Name: "drr"}))},
	{name: "qfq", args: "qdisc add dev p0 root handle 1: qfq", req: tc.QdiscAdd(root1(&tc.Bare{Name: "qfq"}))},
	{name: "multiq", args: "qdisc add dev p0 root handle 1: multiq", req: tc.QdiscAdd(root1(&tc.MultiQ{}))},
	{name: "plug", args: "qdisc add dev p0 root plug limit 10000", req: tc.QdiscAdd(root(&tc.Plug{Action: tc.PlugLimit, Limit: 10000}))},
	{name: "plug-release", args: "qdisc change dev p0 root plug release_indefinite", req: tc.QdiscChange(root(&tc.Plug{Action: tc.PlugReleaseIndefinite}))},
	{name: "ets", args: "qdisc add dev p0 root handle 1: ets bands 4 strict 1 quanta 1500 3000 priomap 0 1 1 2 3", req: tc.QdiscAdd(root1(&tc.ETS{Bands: 4, Strict: 1, Quanta: []uint32{1500, 3000}, Priomap: []uint8{0, 1, 1, 2, 3}}))},
	{name: "ets-quanta", args: "qdisc add dev p0 root handle 1: ets quanta 1000 2000", req: tc.QdiscAdd(root1(&tc.ETS{Quanta: []uint32{1000, 2000}})), opts: &tc.ETS{Bands: 2, Quanta: []uint32{1000, 2000}}},
	{name: "mqprio", args: "qdisc add dev p0 root handle 1: mqprio num_tc 3 map 0 0 0 0 1 1 1 1 2 2 2 2 2 2 2 2 queues 4@0 4@4 8@8 hw 0", req: tc.QdiscAdd(root1(&tc.MQPrio{NumTC: 3, Map: [16]uint8{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}, Queues: []tc.QueueRange{{4, 0}, {4, 4}, {8, 8}}, NoHW: true}))},
	{name: "mqprio-default", args: "qdisc add dev p0 root handle 1: mqprio", req: tc.QdiscAdd(root1(&tc.MQPrio{})), opts: &tc.MQPrio{NumTC: 8, Map: tc.DefaultMQPrioMap}},
	{name: "mqprio-shaper", args: "qdisc add dev p0 root handle 1: mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 1@0 1@1 hw 1 mode channel shaper bw_rlimit min_rate 1mbit 2mbit max_rate 10mbit 20mbit", req: tc.QdiscAdd(root1(&tc.MQPrio{NumTC: 2, Map: [16]uint8{0, 0, 0, 0, 1, 1, 1, 1}, Queues: []tc.QueueRange{{1, 0}, {1, 1}}, Mode: 1, Shaper: 1, MinRate: []tc.Rate{125000, 250000}, MaxRate: []tc.Rate{1250000, 2500000}}))},
	{name: "fq", args: "qdisc add dev p0 root fq limit 10000 flow_limit 100 buckets 1024 maxrate 1gbit quantum 3028 initial_quantum 15140 pacing low_rate_threshold 550kbit refill_delay 40ms orphan_mask 1023 ce_threshold 2ms timer_slack 10us horizon 10s horizon_drop", req: tc.QdiscAdd(root(&tc.FQ{Limit: rtm.Some[uint32](10000), FlowLimit: rtm.Some[uint32](100), Buckets: 1024, MaxRate: rtm.Some[uint32](125000000), Quantum: rtm.Some[uint32](3028), InitialQuantum: rtm.Some[uint32](15140), Pacing: rtm.Some(true), LowRateThreshold: rtm.Some[uint32](68750), RefillDelay: rtm.Some[tc.Time](40000), OrphanMask: rtm.Some[uint32](1023), CEThreshold: rtm.Some[tc.Time](2000), TimerSlack: rtm.Some[uint32](10000), Horizon: rtm.Some[tc.Time](10000000), HorizonDrop: rtm.Some(true)}))},
	{name: "fq-bare", args: "qdisc add dev p0 root fq nopacing horizon_cap", req: tc.QdiscAdd(root(&tc.FQ{Pacing: rtm.Some(false), HorizonDrop: rtm.Some(false)}))},
	{name: "red", args: "qdisc add dev p0 root red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit probability 0.02 ecn harddrop", req: tc.QdiscAdd(root(&tc.RED{Limit: 400000, Min: 30000, Max: 90000, Avpkt: 1000, Burst: 55, Bandwidth: 1250000, Probability: 0.02, Flags: tc.REDECN | tc.REDHardDrop})), opts: redDecoded("red")},
	{name: "red-defaults", args: "qdisc add dev p0 root red limit 100000 avpkt 1500", req: tc.QdiscAdd(root(&tc.RED{Limit: 100000, Avpkt: 1500})), opts: redDecoded("red-defaults")},
	{name: "choke", args: "qdisc add dev p0 root choke limit 1000 bandwidth 10mbit min 100 max 300 avpkt 1000 probability 0.1 ecn", req: tc.QdiscAdd(root(&tc.RED{Name: "choke", Limit: 1000, Bandwidth: 1250000, Min: 100, Max: 300, Avpkt: 1000, Probability: 0.1, Flags: tc.REDECN})), opts: redDecoded("choke")},
	{name: "hfsc", args: "qdisc add dev p0 root handle 1: hfsc default 10", req: tc.QdiscAdd(root1(&tc.HFSC{Default: 0x10}))},
	{name: "cake", args: "qdisc add dev p0 root cake bandwidth 100mbit diffserv4 triple-isolate nat wash ingress ack-filter split-gso rtt 50ms memlimit 32m fwmark 0xff", req: tc.QdiscAdd(root(&tc.Cake{BaseRate: rtm.Some[tc.Rate](12500000), DiffServ: rtm.Some[uint32](1), Target: 2500, Autorate: rtm.Some(false), FlowMode: rtm.Some[uint32](7), NAT: rtm.Some(true), Wash: rtm.Some(true), Ingress: rtm.Some(true), AckFilter: rtm.Some[uint32](1), SplitGSO: rtm.Some(true), RTT: 50000, Memory: 32 << 20, FWMark: 0xff}))},
	{name: "cake-overhead", args: "qdisc add dev p0 root cake unlimited besteffort ethernet mpu 84 noatm", req: tc.QdiscAdd(root(&tc.Cake{BaseRate: rtm.Some[tc.Rate](0), DiffServ: rtm.Some[uint32](3), Autorate: rtm.Some(false), Overhead: rtm.Some[int32](38), MPU: 84, ATM: rtm.Some[uint32](0)}))},
}

// redDecoded returns what tc's bytes of a red fixture decode to: the
// kernel's derived parameters, which the test of the bytes checks.
func redDecoded(name string) tc.Options {
	switch name {
	case "red":
		return &tc.RED{Limit: 400000, Min: 30000, Max: 90000, Flags: tc.REDECN | tc.REDHardDrop, Wlog: 5, Plog: 22, ScellLog: 15, MaxP: 85899345}
	case "red-defaults":
		return &tc.RED{Limit: 100000, Min: 8333, Max: 25000, Wlog: 3, Plog: 20, ScellLog: 14, MaxP: 85899345}
	}
	return &tc.RED{Name: "choke", Limit: 1000, Min: 100, Max: 300, Flags: tc.REDECN, Wlog: 7, Plog: 21, ScellLog: 17, MaxP: 429496729}
}

var classFixtures = []fixture{
	{name: "htb-class", args: "class add dev p0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit burst 1600 cburst 1600", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x10), Options: &tc.HTBClass{Rate: 125000, Ceil: 250000, Burst: 1600, CBurst: 1600}})},
	{name: "htb-class-default", args: "class add dev p0 parent 1:1 classid 1:20 htb rate 100kbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 1), Handle: tc.MakeHandle(1, 0x20), Options: &tc.HTBClass{Rate: 12500}}), opts: &tc.HTBClass{Rate: 12500, Ceil: 12500, Burst: 1600, CBurst: 1600}},
	{name: "htb-class-all", args: "class replace dev p0 parent 1: classid 1:30 htb rate 10gbit ceil 40gbit prio 2 quantum 3000 mtu 9000 mpu 64 overhead 8 linklayer atm", req: tc.ClassReplace(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 0x30), Options: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MTU: 9000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM}}), opts: &tc.HTBClass{Rate: 1250000000, Ceil: 5000000000, Prio: 2, Quantum: 3000, MPU: 64, Overhead: 8, Linklayer: tc.LinklayerATM, Burst: 7500, CBurst: 0}},
	{name: "drr-class", args: "class add dev p0 parent 1: classid 1:1 drr quantum 1514", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 1), Options: &tc.DRRClass{Quantum: rtm.Some[uint32](1514)}})},
	{name: "drr-class-bare", args: "class add dev p0 parent 1: classid 1:2 drr", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 2), Options: &tc.DRRClass{}})},
	{name: "qfq-class", args: "class add dev p0 parent 1: classid 1:1 qfq weight 10 maxpkt 1514", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 1), Options: &tc.QFQClass{Weight: rtm.Some[uint32](10), MaxPkt: rtm.Some[uint32](1514)}})},
	{name: "ets-class", args: "class change dev p0 classid 1:2 ets quantum 1500", req: tc.ClassChange(tc.ClassSpec{Ifindex: p0, Handle: tc.MakeHandle(1, 2), Options: &tc.ETSClass{Quantum: rtm.Some[uint32](1500)}})},
	{name: "hfsc-class", args: "class add dev p0 parent 1: classid 1:1 hfsc sc m1 2mbit d 10ms m2 1mbit ul m2 3mbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 1), Options: &tc.HFSCClass{RT: &tc.ServiceCurve{M1: 250000, D: 10000, M2: 125000}, LS: &tc.ServiceCurve{M1: 250000, D: 10000, M2: 125000}, UL: &tc.ServiceCurve{M2: 375000}}})},
	{name: "hfsc-class-umax", args: "class add dev p0 parent 1: classid 1:2 hfsc rt umax 1500 dmax 5ms rate 1mbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 2), Options: &tc.HFSCClass{RT: mustCurve(1500, 5000, 125000)}})},
	{name: "hfsc-class-convex", args: "class add dev p0 parent 1: classid 1:3 hfsc ls umax 1500 dmax 50ms rate 1mbit", req: tc.ClassAdd(tc.ClassSpec{Ifindex: p0, Parent: tc.MakeHandle(1, 0), Handle: tc.MakeHandle(1, 3), Options: &tc.HFSCClass{LS: mustCurve(1500, 50000, 125000)}})},
	{name: "class-del", args: "class del dev p0 classid 1:10", req: tc.ClassDel(tc.ClassSpec{Ifindex: p0, Handle: tc.MakeHandle(1, 0x10)})},
}

func mustCurve(umax uint32, dmax tc.Time, rate uint32) *tc.ServiceCurve {
	c, err := tc.ServiceCurveOf(umax, dmax, rate)
	if err != nil {
		panic(err)
	}
	return &c
}

func TestClassRequestsAsTC(t *testing.T) { checkFixtures(t, classFixtures) }

func TestQdiscRequestsAsTC(t *testing.T) { checkFixtures(t, qdiscFixtures) }
