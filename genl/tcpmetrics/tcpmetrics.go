package tcpmetrics

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
)

// Family resolves the tcp_metrics family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, TCPMetricsFamilyName)
}

// Entry is a view of one entry of the TCP metrics cache (a
// TCP_METRICS_CMD_GET reply). It aliases the message it came from: in
// [Dump], valid until the next iteration ([Entry.Clone] detaches it).
type Entry struct {
	attrs nla.Chain
}

// ParseEntry returns the view of m, a TCP_METRICS_CMD_GET reply.
func ParseEntry(m genl.Message) (Entry, error) {
	e := Entry{attrs: m.Attrs}
	if err := m.Attrs.Err(); err != nil {
		return Entry{}, fmt.Errorf("tcpmetrics: %w", err)
	}
	if !e.Destination().IsValid() {
		return Entry{}, errors.New("tcpmetrics: entry without a destination address")
	}
	return e, nil
}

// Clone returns a copy of e that does not alias the receive buffer.
func (e Entry) Clone() Entry { return Entry{attrs: append(nla.Chain(nil), e.attrs...)} }

// Chain is the entry's attributes (TCP_METRICS_ATTR_*), raw.
func (e Entry) Chain() nla.Chain { return e.attrs }

// Get returns the attribute at path, by the names of the kernel's spec
// ("addr_ipv4", "age", "vals/cwnd", "vals/rtt_us").
func (e Entry) Get(path ...string) (genl.Value, bool) {
	return schema.Lookup(tcpMetricsSchema, nil, e.attrs, path)
}

// Attrs yields every attribute of the entry, by name.
func (e Entry) Attrs() iter.Seq2[string, genl.Value] { return schema.All(tcpMetricsSchema, e.attrs) }

func (e Entry) addr(v4, v6 uint16) netip.Addr {
	for _, typ := range [2]uint16{v4, v6} {
		if a, ok := e.attrs.Get(typ); ok {
			addr, err := a.Addr()
			if err == nil && addr.Is4() == (typ == v4) {
				return addr
			}
		}
	}
	return netip.Addr{}
}

// Destination is the address the entry is about.
func (e Entry) Destination() netip.Addr {
	return e.addr(TCPMetricsAttrAddrIPv4, TCPMetricsAttrAddrIPv6)
}

// Source is the local address of the entry (Linux 4.2), or not valid.
func (e Entry) Source() netip.Addr {
	return e.addr(TCPMetricsAttrSaddrIPv4, TCPMetricsAttrSaddrIPv6)
}

// Age is the time since the entry was last updated.
func (e Entry) Age() (time.Duration, bool) {
	if a, ok := e.attrs.Get(TCPMetricsAttrAge); ok {
		if ms, err := a.Uint64(); err == nil {
			return time.Duration(ms) * time.Millisecond, true
		}
	}
	return 0, false
}

// Value returns the metric typ (TCPMetricsAMetrics*: RTT, RTTVAR,
// SSTHRESH, CWND, REORDERING, RTT_US, RTTVAR_US) as the kernel gives it.
func (e Entry) Value(typ uint16) (uint32, bool) {
	vals, ok := e.attrs.Get(TCPMetricsAttrVals)
	if !ok {
		return 0, false
	}
	for a := range vals.Nested().AllOf(typ) {
		if v, err := a.Uint32(); err == nil {
			return v, true
		}
	}
	return 0, false
}

// Values iterates over the entry's metrics: each metric's type
// (TCPMetricsAMetrics*) and value, in the kernel's order.
func (e Entry) Values() iter.Seq2[uint16, uint32] {
	return func(yield func(uint16, uint32) bool) {
		vals, ok := e.attrs.Get(TCPMetricsAttrVals)
		if !ok {
			return
		}
		for a := range vals.Nested().All() {
			v, err := a.Uint32()
			if err != nil {
				continue
			}
			if !yield(a.Kind(), v) {
				return
			}
		}
	}
}

// RTT is the smoothed round-trip time, from RTT_US (in microseconds,
// scaled by 8) or else RTT (milliseconds, scaled by 8), as ip reads it.
func (e Entry) RTT() (time.Duration, bool) {
	return e.scaled(TCPMetricsAMetricsRTTUs, TCPMetricsAMetricsRTT, 3)
}

// RTTVar is the round-trip time's variance, from RTTVAR_US
// (microseconds, scaled by 4) or else RTTVAR (milliseconds, scaled by 4).
func (e Entry) RTTVar() (time.Duration, bool) {
	return e.scaled(TCPMetricsAMetricsRttvarUs, TCPMetricsAMetricsRttvar, 2)
}

func (e Entry) scaled(us, ms uint16, shift uint) (time.Duration, bool) {
	if v, ok := e.Value(us); ok {
		return time.Duration(v>>shift) * time.Microsecond, true
	}
	if v, ok := e.Value(ms); ok {
		return time.Duration((uint64(v)*1000)>>shift) * time.Microsecond, true
	}
	return 0, false
}

// FastOpenMSS is the MSS TCP Fast Open remembered for the destination.
func (e Entry) FastOpenMSS() (uint16, bool) {
	if a, ok := e.attrs.Get(TCPMetricsAttrFopenMss); ok {
		if v, err := a.Uint16(); err == nil {
			return v, true
		}
	}
	return 0, false
}

// FastOpenSynDrops is how many Fast Open SYNs were dropped, and how long
// ago the last was.
func (e Entry) FastOpenSynDrops() (drops uint16, ago time.Duration, ok bool) {
	a, ok := e.attrs.Get(TCPMetricsAttrFopenSynDrops)
	if !ok {
		return 0, 0, false
	}
	drops, err := a.Uint16()
	if err != nil {
		return 0, 0, false
	}
	if ts, ok := e.attrs.Get(TCPMetricsAttrFopenSynDropTs); ok {
		ms, _ := ts.Uint64()
		ago = time.Duration(ms) * time.Millisecond
	}
	return drops, ago, true
}

// FastOpenCookie is the destination's Fast Open cookie, aliasing the
// message, or nil.
func (e Entry) FastOpenCookie() []byte {
	if a, ok := e.attrs.Get(TCPMetricsAttrFopenCookie); ok {
		return a.Data
	}
	return nil
}

// Dump lists the cache's entries (TCP_METRICS_CMD_GET as a dump). Each
// view is valid until the next iteration; iterating allocates nothing
// per entry.
func Dump(ctx context.Context, h *genl.Handle) iter.Seq2[Entry, error] {
	return genl.DumpFamily(ctx, h, TCPMetricsFamilyName, genl.Request{Command: TCPMetricsCmdGet}, ParseEntry)
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")

// request is a request of command cmd about dst, and src if it is valid.
func request(cmd uint8, dst, src netip.Addr) (genl.Request, error) {
	switch {
	case !dst.IsValid():
		return genl.Request{}, fmt.Errorf("tcpmetrics: %w: no destination address", ErrInvalid)
	case src.IsValid() && src.Is4() != dst.Is4():
		return genl.Request{}, fmt.Errorf("tcpmetrics: %w: source %s and destination %s of different families", ErrInvalid, src, dst)
	}
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		if dst.Is4() {
			e.Addr(TCPMetricsAttrAddrIPv4, dst)
		} else {
			e.Addr(TCPMetricsAttrAddrIPv6, dst)
		}
		if src.IsValid() {
			if src.Is4() {
				e.Addr(TCPMetricsAttrSaddrIPv4, src)
			} else {
				e.Addr(TCPMetricsAttrSaddrIPv6, src)
			}
		}
	}}, nil
}

// Get asks for the entry of destination dst, and of source src if it is
// valid. The entry returned is detached. A destination the cache does not
// have is an error matching unix.ESRCH.
func Get(ctx context.Context, h *genl.Handle, dst, src netip.Addr) (Entry, error) {
	r, err := request(TCPMetricsCmdGet, dst, src)
	if err != nil {
		return Entry{}, err
	}
	return genl.QueryFamily(ctx, h, TCPMetricsFamilyName, r, ParseEntry)
}

// Delete is the request that deletes the entry of destination dst (and
// of source src, if it is valid; otherwise those of every source). A
// destination the cache does not have is an error matching unix.ESRCH.
func Delete(dst, src netip.Addr) (genl.Request, error) {
	return request(TCPMetricsCmdDel, dst, src)
}

// DeleteAll is the request that empties the cache (TCP_METRICS_CMD_DEL
// without an address), as `ip tcp_metrics flush` without a selector does.
func DeleteAll() genl.Request { return genl.Request{Command: TCPMetricsCmdDel} }

// Do resolves the tcp_metrics family and sends reqs, one by one when
// there is one, pipelined otherwise (the error is then the first
// failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, TCPMetricsFamilyName, reqs...)
}
