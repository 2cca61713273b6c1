// Package bench benchmarks ipr against its peers: vishvananda/netlink,
// jsimonetti/rtnetlink on mdlayher/netlink, iproute2, pyroute2, net/netip,
// go4.org/netipx and Python's ipaddress, with a raw floor written with
// golang.org/x/sys/unix alone that shows what the kernel itself costs.
//
// It is a module of its own, so that the peers never enter ipr's go.mod.
// scripts/bench.sh runs the whole comparison (bench/cmd/iprbench) and
// writes RESULTS.md; the workloads live in bench/workload. The Go
// contestants are also go test benchmarks, on a namespace the benchmark
// creates (as root; skipped otherwise):
//
//	cd bench && go test -bench . -run XXX
//	cd bench && go test -bench 'RouteDump/(ipr|raw)$' -run XXX
//
// Each benchmark reports ns/obj, allocs/obj and B/obj besides the usual
// per-operation figures, an operation being a whole dump or batch.
package bench
