package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Neighbour table attributes (linux/neighbour.h), which x/sys/unix lacks.
const (
	ndtaName       = 1 // NDTA_NAME: string
	ndtaThresh1    = 2 // NDTA_THRESH1: u32
	ndtaThresh2    = 3 // NDTA_THRESH2: u32
	ndtaThresh3    = 4 // NDTA_THRESH3: u32
	ndtaConfig     = 5 // NDTA_CONFIG: struct ndt_config
	ndtaParms      = 6 // NDTA_PARMS: nested NDTPA_*
	ndtaStats      = 7 // NDTA_STATS: struct ndt_stats
	ndtaGCInterval = 8 // NDTA_GC_INTERVAL: u64, ms

	ndtpaIfindex           = 1  // u32
	ndtpaRefcnt            = 2  // u32
	ndtpaReachableTime     = 3  // u64 ms, read-only
	ndtpaBaseReachableTime = 4  // u64 ms
	ndtpaRetransTime       = 5  // u64 ms
	ndtpaGCStaletime       = 6  // u64 ms
	ndtpaDelayProbeTime    = 7  // u64 ms
	ndtpaQueueLen          = 8  // u32 packets
	ndtpaAppProbes         = 9  // u32
	ndtpaUcastProbes       = 10 // u32
	ndtpaMcastProbes       = 11 // u32
	ndtpaAnycastDelay      = 12 // u64 ms
	ndtpaProxyDelay        = 13 // u64 ms
	ndtpaProxyQlen         = 14 // u32
	ndtpaLocktime          = 15 // u64 ms
	ndtpaQueueLenBytes     = 16 // u32
	ndtpaMcastReprobes     = 17 // u32
	ndtpaIntervalProbeTime = 19 // u64 ms (NDTPA_INTERVAL_PROBE_TIME_MS)

	sizeofNdtMsg    = 4  // struct ndtmsg
	sizeofNdtConfig = 32 // struct ndt_config
	sizeofNdtStats  = 88 // struct ndt_stats
)

// NeighTable is a view of one RTM_NEWNEIGHTBL message. A dump yields, for
// each table (ARP's "arp_cache", NDP's "ndisc_cache"), one message with
// the table's settings and default parameters, then one per interface
// with that interface's parameters only. A NeighTable yielded by a dump
// is valid until the next iteration; Clone detaches it.
type NeighTable struct{ view[ndtmsg] }

// NeighTableFromBytes returns the NeighTable in a message payload (the
// bytes after nlmsghdr), for decoding captured messages.
func NeighTableFromBytes(b []byte) (NeighTable, error) {
	return viewOf[NeighTable](&neighTableMsgs, b, nil)
}

// Clone returns a copy of t that owns its bytes.
func (t NeighTable) Clone() NeighTable { return NeighTable{t.clone()} }

// Family returns the table's family: AF_INET (ARP) or AF_INET6 (NDP).
func (t NeighTable) Family() uint8 { return t.hdr()[0] }

// Name returns NDTA_NAME, the table's name.
func (t NeighTable) Name() string { return t.text(ndtaName) }

// NameIs reports whether the name equals s, without allocating.
func (t NeighTable) NameIs(s string) bool {
	a, _ := t.get(ndtaName)
	b, err := a.TextBytes()
	return err == nil && string(b) == s
}

// Thresh1, Thresh2 and Thresh3 return the garbage collector's thresholds
// (gc_thresh1..3): below Thresh1 entries are never collected, above
// Thresh2 for five seconds or above Thresh3 they are collected at once.
func (t NeighTable) Thresh1() uint32 { return t.u32or(ndtaThresh1, 0) }

// Thresh2 returns NDTA_THRESH2; see [NeighTable.Thresh1].
func (t NeighTable) Thresh2() uint32 { return t.u32or(ndtaThresh2, 0) }

// Thresh3 returns NDTA_THRESH3; see [NeighTable.Thresh1].
func (t NeighTable) Thresh3() uint32 { return t.u32or(ndtaThresh3, 0) }

// GCInterval returns NDTA_GC_INTERVAL.
func (t NeighTable) GCInterval() time.Duration {
	a, ok := t.get(ndtaGCInterval)
	if !ok {
		return 0
	}
	v, _ := a.Uint64()
	return time.Duration(v) * time.Millisecond
}

// NeighTableConfig is struct ndt_config, the table's state.
type NeighTableConfig struct {
	KeyLen, EntrySize uint16
	Entries           uint32
	// LastFlush and LastRand are how long ago the table was last
	// flushed and its reachable times last randomized.
	LastFlush, LastRand time.Duration
	HashRnd, HashMask   uint32
	HashChainGC         uint32
	ProxyQueueLen       uint32
}

// Config returns NDTA_CONFIG (table messages only).
func (t NeighTable) Config() (NeighTableConfig, bool) {
	a, ok := t.get(ndtaConfig)
	if !ok || len(a.Data) < sizeofNdtConfig {
		return NeighTableConfig{}, false
	}
	d := a.Data
	return NeighTableConfig{
		KeyLen: native.Uint16(d), EntrySize: native.Uint16(d[2:]), Entries: native.Uint32(d[4:]),
		LastFlush: time.Duration(native.Uint32(d[8:])) * time.Millisecond,
		LastRand:  time.Duration(native.Uint32(d[12:])) * time.Millisecond,
		HashRnd:   native.Uint32(d[16:]), HashMask: native.Uint32(d[20:]),
		HashChainGC: native.Uint32(d[24:]), ProxyQueueLen: native.Uint32(d[28:]),
	}, true
}

// NeighTableStats is struct ndt_stats, the table's counters.
type NeighTableStats struct {
	Allocs, Destroys, HashGrows, ResFailed, Lookups, Hits uint64
	RcvProbesMcast, RcvProbesUcast                        uint64
	PeriodicGCRuns, ForcedGCRuns, TableFulls              uint64
}

// Stats returns NDTA_STATS (table messages only).
func (t NeighTable) Stats() (NeighTableStats, bool) {
	a, ok := t.get(ndtaStats)
	if !ok || len(a.Data) < sizeofNdtStats {
		return NeighTableStats{}, false
	}
	var v [11]uint64
	for i := range v {
		v[i] = native.Uint64(a.Data[8*i:])
	}
	return NeighTableStats{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]}, true
}

// NeighParams are a table's parameters (NDTA_PARMS), its defaults or one
// interface's. Times have millisecond resolution.
type NeighParams struct {
	// Index is the interface the parameters are for; 0 for the table's
	// defaults.
	Index    int32
	RefCount uint32
	// ReachableTime is the current, randomized reachable time derived
	// from BaseReachableTime (read-only).
	ReachableTime     time.Duration
	BaseReachableTime time.Duration
	RetransTime       time.Duration
	GCStaleTime       time.Duration
	DelayProbeTime    time.Duration
	AnycastDelay      time.Duration
	ProxyDelay        time.Duration
	LockTime          time.Duration
	IntervalProbeTime time.Duration
	// QueueLenBytes is the queue of packets awaiting resolution, in
	// bytes; QueueLen is the same in packets, as the kernel reports it.
	QueueLen, QueueLenBytes  uint32
	AppProbes                uint32
	UcastProbes, McastProbes uint32
	McastReprobes            uint32
	ProxyQueueLen            uint32
}

// Params decodes NDTA_PARMS.
func (t NeighTable) Params() (NeighParams, bool) {
	a, ok := t.get(ndtaParms)
	if !ok {
		return NeighParams{}, false
	}
	var p NeighParams
	for at := range a.Nested().All() {
		if d := p.duration(at.Kind()); d != nil {
			v, _ := at.Uint64()
			*d = time.Duration(v) * time.Millisecond
		} else if n := p.count(at.Kind()); n != nil {
			*n, _ = at.Uint32()
		} else if at.Kind() == ndtpaIfindex {
			v, _ := at.Uint32()
			p.Index = int32(v)
		}
	}
	return p, true
}

// duration maps an NDTPA_* type holding milliseconds to its member.
func (p *NeighParams) duration(t uint16) *time.Duration {
	switch t {
	case ndtpaReachableTime:
		return &p.ReachableTime
	case ndtpaBaseReachableTime:
		return &p.BaseReachableTime
	case ndtpaRetransTime:
		return &p.RetransTime
	case ndtpaGCStaletime:
		return &p.GCStaleTime
	case ndtpaDelayProbeTime:
		return &p.DelayProbeTime
	case ndtpaAnycastDelay:
		return &p.AnycastDelay
	case ndtpaProxyDelay:
		return &p.ProxyDelay
	case ndtpaLocktime:
		return &p.LockTime
	case ndtpaIntervalProbeTime:
		return &p.IntervalProbeTime
	}
	return nil
}

// count maps an NDTPA_* type holding a u32 to its member.
func (p *NeighParams) count(t uint16) *uint32 {
	switch t {
	case ndtpaRefcnt:
		return &p.RefCount
	case ndtpaQueueLen:
		return &p.QueueLen
	case ndtpaQueueLenBytes:
		return &p.QueueLenBytes
	case ndtpaAppProbes:
		return &p.AppProbes
	case ndtpaUcastProbes:
		return &p.UcastProbes
	case ndtpaMcastProbes:
		return &p.McastProbes
	case ndtpaMcastReprobes:
		return &p.McastReprobes
	case ndtpaProxyQlen:
		return &p.ProxyQueueLen
	}
	return nil
}

// Get returns an attribute by pyroute2-style name ("name", ("parms",
// "app_probes"), ("stats", "lookups")).
func (t NeighTable) Get(path ...string) (Value, bool) {
	return t.lookup(neighTableSchema, path)
}

// GetAll yields every attribute a path of names reaches, the last name
// repeating (pyroute2's get_attrs); see Get for the names.
func (t NeighTable) GetAll(path ...string) iter.Seq[Value] {
	return t.lookupAll(neighTableSchema, path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (t NeighTable) Attrs() iter.Seq2[string, Value] { return schema.All(neighTableSchema, t.Chain()) }

// NeighTableFilter selects the messages a neighbour table dump returns.
type NeighTableFilter struct {
	// Family keeps one family's table: AF_INET or AF_INET6. Kernel-side.
	Family uint8
	// Index keeps the parameters of one interface (and leaves out the
	// tables' own messages). User space: the kernel does not filter by
	// interface.
	Index int32
}

// NeighTables streams the neighbour tables and their per-interface
// parameters ("ip ntable show") that f selects (all when f is nil). Each
// NeighTable is valid until the next iteration; iterating allocates
// nothing per message.
func (h *Handle) NeighTables(ctx context.Context, f *NeighTableFilter) iter.Seq2[NeighTable, error] {
	return func(yield func(NeighTable, error) bool) {
		var family uint8
		if f != nil {
			family = f.Family
		}
		b, _ := h.newRequest(unix.RTM_GETNEIGHTBL, unix.NLM_F_DUMP, sizeofNdtMsg, family)
		b.End()
		dumpOf(ctx, h, "neighbour table dump", &neighTableMsgs, b, dumpRun{}, func(v view[ndtmsg], err error) bool {
			if t := (NeighTable{v}); err != nil || f == nil || f.Index == 0 || t.paramsIndex() == f.Index {
				return yield(t, err)
			}
			return true
		})
	}
}

// paramsIndex returns NDTPA_IFINDEX of the parameters, without decoding
// the rest.
func (t NeighTable) paramsIndex() int32 {
	a, ok := t.get(ndtaParms)
	if !ok {
		return 0
	}
	i, ok := a.Nested().Get(ndtpaIfindex)
	if !ok {
		return 0
	}
	v, _ := i.Uint32()
	return int32(v)
}

// NeighTableSpec changes a neighbour table's settings or parameters ("ip
// ntable change"). Unset fields are left as they are.
//
// The kernel lets only the initial network namespace change the tables'
// thresholds and garbage collection interval and the default parameters;
// other namespaces change the parameters of their own interfaces.
type NeighTableSpec struct {
	// Family is AF_INET or AF_INET6. Required.
	Family uint8
	// Name is the table's name; empty means the family's ("arp_cache",
	// "ndisc_cache").
	Name string
	// Index selects an interface's parameters; 0 the table's defaults.
	Index int32
	// Thresh1, Thresh2, Thresh3 and GCInterval are the garbage
	// collector's settings.
	Thresh1, Thresh2, Thresh3 Opt[uint32]
	GCInterval                Opt[time.Duration]
	// The parameters; see [NeighParams]. QueueLen is in packets; the
	// kernel converts it to QueueLenBytes.
	BaseReachableTime Opt[time.Duration]
	RetransTime       Opt[time.Duration]
	GCStaleTime       Opt[time.Duration]
	DelayProbeTime    Opt[time.Duration]
	AnycastDelay      Opt[time.Duration]
	ProxyDelay        Opt[time.Duration]
	LockTime          Opt[time.Duration]
	IntervalProbeTime Opt[time.Duration]
	QueueLen          Opt[uint32]
	QueueLenBytes     Opt[uint32]
	AppProbes         Opt[uint32]
	UcastProbes       Opt[uint32]
	McastProbes       Opt[uint32]
	McastReprobes     Opt[uint32]
	ProxyQueueLen     Opt[uint32]
}

func (s *NeighTableSpec) name() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Family == unix.AF_INET:
		return "arp_cache"
	case s.Family == unix.AF_INET6:
		return "ndisc_cache"
	}
	return ""
}

// optParam is a setting with its attribute type.
type optParam[T any] struct {
	t uint16
	v Opt[T]
}

// params lists the parameters with their NDTPA_* types.
func (s *NeighTableSpec) params() ([8]optParam[time.Duration], [7]optParam[uint32]) {
	return [...]optParam[time.Duration]{
			{ndtpaBaseReachableTime, s.BaseReachableTime}, {ndtpaRetransTime, s.RetransTime},
			{ndtpaGCStaletime, s.GCStaleTime}, {ndtpaDelayProbeTime, s.DelayProbeTime},
			{ndtpaAnycastDelay, s.AnycastDelay}, {ndtpaProxyDelay, s.ProxyDelay},
			{ndtpaLocktime, s.LockTime}, {ndtpaIntervalProbeTime, s.IntervalProbeTime},
		}, [...]optParam[uint32]{
			{ndtpaQueueLen, s.QueueLen}, {ndtpaAppProbes, s.AppProbes}, {ndtpaUcastProbes, s.UcastProbes},
			{ndtpaMcastProbes, s.McastProbes}, {ndtpaProxyQlen, s.ProxyQueueLen},
			{ndtpaQueueLenBytes, s.QueueLenBytes}, {ndtpaMcastReprobes, s.McastReprobes},
		}
}

// encode writes an RTM_SETNEIGHTBL request for s (the type and flags
// are always those).
func (s *NeighTableSpec) encode(b *wire.Builder, _, _ uint16) error {
	name := s.name()
	switch {
	case s.Family != unix.AF_INET && s.Family != unix.AF_INET6:
		return fmt.Errorf("family %d is neither AF_INET nor AF_INET6", s.Family)
	case s.Index < 0:
		return fmt.Errorf("invalid interface index %d", s.Index)
	case s.Index != 0 && (s.Thresh1.IsSet() || s.Thresh2.IsSet() || s.Thresh3.IsSet() || s.GCInterval.IsSet()):
		return errors.New("thresholds and GC interval belong to the table, not to an interface")
	}
	durations, counts := s.params()
	for _, d := range durations {
		if v, ok := d.v.Get(); ok && v < 0 {
			return fmt.Errorf("negative duration %v", v)
		}
	}
	if v, ok := s.GCInterval.Get(); ok && v < 0 {
		return fmt.Errorf("negative GC interval %v", v)
	}
	b.Begin(unix.RTM_SETNEIGHTBL, 0)
	if hdr := b.Fixed(sizeofNdtMsg); hdr != nil {
		hdr[0] = s.Family
	}
	b.String(ndtaName, name)
	for _, th := range [...]optParam[uint32]{{ndtaThresh1, s.Thresh1}, {ndtaThresh2, s.Thresh2}, {ndtaThresh3, s.Thresh3}} {
		putOpt(b.Uint32, th.t, th.v)
	}
	if v, ok := s.GCInterval.Get(); ok {
		b.Uint64(ndtaGCInterval, uint64(v/time.Millisecond))
	}
	n := b.BeginNest(ndtaParms)
	putU32(b, ndtpaIfindex, s.Index)
	for _, d := range durations {
		if v, ok := d.v.Get(); ok {
			b.Uint64(d.t, uint64(v/time.Millisecond))
		}
	}
	for _, c := range counts {
		putOpt(b.Uint32, c.t, c.v)
	}
	b.EndNest(n)
	b.End()
	return nil
}

// NeighTableSet changes a neighbour table's settings or an interface's
// parameters ("ip ntable change").
func (h *Handle) NeighTableSet(ctx context.Context, s NeighTableSpec) error {
	return h.Do(ctx, NeighTableSet(s))
}

// NeighTableSet is the request to change a neighbour table's settings or
// an interface's parameters ("ip ntable change").
func NeighTableSet(s NeighTableSpec) Request {
	return &specRequest[NeighTableSpec, *NeighTableSpec]{neighTableSetOp, s}
}

var neighTableSetOp = change{verb: "neighbour table change"}

func (s *NeighTableSpec) opName(verb string) string {
	if s.Index != 0 {
		return fmt.Sprintf("%s %s index %d", verb, s.name(), s.Index)
	}
	return fmt.Sprintf("%s %s", verb, s.name())
}
