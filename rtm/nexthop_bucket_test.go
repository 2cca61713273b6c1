package rtm_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/hostile"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/rtm"
	"golang.org/x/sys/unix"
)

// bucketNS is a namespace with two nexthops through veth0 (1 and 2), one
// through veth1 (3), resilient groups 10 (1/2, 8 buckets) and 11 (2/3,
// 4 buckets), and a multipath group 12.
func bucketNS(t *testing.T) (*rtm.Handle, *nstest.NS) {
	t.Helper()
	nstest.Require(t, "nexthop:resilient")
	h, ns := handle(t)
	vethNS(t, ns,
		[]string{"addr", "add", "198.51.100.1/24", "dev", "veth1"},
		[]string{"nexthop", "add", "id", "1", "via", "192.0.2.254", "dev", "veth0"},
		[]string{"nexthop", "add", "id", "2", "via", "192.0.2.253", "dev", "veth0"},
		[]string{"nexthop", "add", "id", "3", "via", "198.51.100.254", "dev", "veth1"},
		[]string{"nexthop", "add", "id", "10", "group", "1/2", "type", "resilient", "buckets", "8"},
		[]string{"nexthop", "add", "id", "11", "group", "2/3", "type", "resilient", "buckets", "4"},
		[]string{"nexthop", "add", "id", "12", "group", "1/3"})
	return h, ns
}

func bucketKey(b rtm.NexthopBucket) string {
	return fmt.Sprintf("%d/%d/%d", b.GroupID(), b.Index(), b.NexthopID())
}

// ipBucketKeys is what "ip -j [OPTION] nexthop bucket ARGS" lists, as
// bucketKey formats it; an option (-4) may come first in args.
func ipBucketKeys(t *testing.T, ns *nstest.NS, args ...string) []string {
	t.Helper()
	cmd := []string{"nexthop", "bucket"}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		cmd = append([]string{args[0]}, cmd...)
		args = args[1:]
	}
	var keys []string
	for _, w := range ipJSON(t, ns, append(cmd, args...)...) {
		x := w["bucket"].(map[string]any)
		keys = append(keys, fmt.Sprintf("%v/%v/%v", w["id"], x["index"], x["nhid"]))
	}
	return keys
}

// TestNexthopBucketsAgainstIP compares every filter of the bucket dump,
// and the get of each bucket, with ip's, and checks the kernel's
// refusals.
func TestNexthopBucketsAgainstIP(t *testing.T) {
	h, ns := bucketNS(t)
	veth0, veth1 := index(t, h, "veth0"), index(t, h, "veth1")
	for _, c := range []struct {
		f    *rtm.NexthopBucketFilter
		args string
		n    int
	}{
		{nil, "list", 12},
		{&rtm.NexthopBucketFilter{}, "list", 12},
		{&rtm.NexthopBucketFilter{GroupID: 11}, "list id 11", 4},
		{&rtm.NexthopBucketFilter{NexthopID: 2}, "list nhid 2", 6},
		{&rtm.NexthopBucketFilter{OutIndex: veth1}, "list dev veth1", 2},
		{&rtm.NexthopBucketFilter{OutIndex: veth0, GroupID: 10}, "list dev veth0 id 10", 8},
		{&rtm.NexthopBucketFilter{Family: unix.AF_INET}, "-4 list", 12},
		{&rtm.NexthopBucketFilter{Family: unix.AF_INET6}, "-6 list", 0},
		{&rtm.NexthopBucketFilter{MasterIndex: veth0}, "list master veth0", 0},
	} {
		got, err := hostile.Keys(h.NexthopBuckets(ctx, c.f), bucketKey)
		if err != nil {
			t.Fatalf("%+v: %v", c.f, err)
		}
		args := strings.Fields(c.args)
		if want := ipBucketKeys(t, ns, args...); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != c.n {
			t.Errorf("%+v: %v, ip %v (want %d)", c.f, got, want, c.n)
		}
	}
	for i := range 8 {
		b, err := h.NexthopBucketGet(ctx, 10, uint16(i))
		if err != nil {
			t.Fatal(err)
		}
		want := ipBucketKeys(t, ns, "get", "id", "10", "index", strconv.Itoa(i))
		if len(want) != 1 || bucketKey(b) != want[0] || b.Index() != uint16(i) {
			t.Errorf("bucket 10/%d: %s, ip %v", i, bucketKey(b), want)
		}
		if v, ok := b.Get("res_bucket", "nh_id"); !ok || v.String() != strconv.Itoa(int(b.NexthopID())) {
			t.Errorf("bucket 10/%d: Get(res_bucket, nh_id) = %v %v", i, v, ok)
		}
		if b.IdleTime() < 0 || b.Flags()&^uint32(unix.RTNH_F_TRAP|unix.RTNH_F_OFFLOAD) != 0 {
			t.Errorf("bucket 10/%d: idle %v, flags %#x", i, b.IdleTime(), b.Flags())
		}
	}
	for _, c := range []struct {
		id    uint32
		index uint16
		errno unix.Errno
	}{
		{99, 0, unix.ENOENT}, // no such nexthop
		{1, 0, unix.EINVAL},  // not a group
		{12, 0, unix.EINVAL}, // not resilient
		{10, 8, unix.ENOENT}, // past the last bucket
		{10, 65535, unix.ENOENT},
	} {
		_, err := h.NexthopBucketGet(ctx, c.id, c.index)
		if !errors.Is(err, c.errno) || !strings.Contains(err.Error(), fmt.Sprintf("id %d index %d", c.id, c.index)) {
			t.Errorf("get %d/%d: %v, want %v", c.id, c.index, err, c.errno)
		}
		if c.errno == unix.ENOENT && !errors.Is(err, rtm.ErrNotFound) {
			t.Errorf("get %d/%d: %v is not ErrNotFound", c.id, c.index, err)
		}
	}
	if _, err := h.NexthopBucketGet(ctx, 0, 0); err == nil || errors.As(err, new(unix.Errno)) {
		t.Errorf("get of id 0: %v (want a local error)", err)
	}
	// A dump filtered by a nexthop that is no resilient group ends in
	// the kernel's refusal, as ip's ends in "Dump terminated".
	for _, f := range []*rtm.NexthopBucketFilter{{GroupID: 99}, {GroupID: 12}, {GroupID: 1}} {
		n := 0
		var last error
		for _, err := range h.NexthopBuckets(ctx, f) {
			if err != nil {
				last = err
				continue
			}
			n++
		}
		if n != 0 || last == nil || !errors.As(last, new(unix.Errno)) {
			t.Errorf("dump %+v: %d buckets, %v", f, n, last)
		}
	}
}

// TestNexthopBucketsAllocs checks that the dump allocates nothing per
// bucket: a group of 4096 buckets costs what one of 2 does.
func TestNexthopBucketsAllocs(t *testing.T) {
	h, ns := bucketNS(t)
	nstest.IP(t, ns, "nexthop", "add", "id", "20", "group", "1/2", "type", "resilient", "buckets", "4096")
	nstest.IP(t, ns, "nexthop", "add", "id", "21", "group", "1/2", "type", "resilient", "buckets", "2")
	flatDumpAllocs(t, "nexthop buckets", 4096,
		h.NexthopBuckets(ctx, &rtm.NexthopBucketFilter{GroupID: 20}),
		h.NexthopBuckets(ctx, &rtm.NexthopBucketFilter{GroupID: 21}),
		func(b rtm.NexthopBucket) int { return int(b.Index()) + int(b.NexthopID()) + int(b.IdleTime()) })
}

// TestChurnNexthopBuckets dumps buckets while resilient groups come and
// go next to stable ones.
func TestChurnNexthopBuckets(t *testing.T) {
	nstest.Require(t, "nexthop:resilient")
	h, churner, _, a0, _ := churnHandles(t)
	if err := h.LinkSet(ctx, rtm.LinkSpec{Name: "a1", Up: rtm.Some(true)}); err != nil {
		t.Fatal(err)
	}
	for id := uint32(900); id < 902; id++ {
		if err := h.NexthopAdd(ctx, rtm.NexthopSpec{ID: id, OutIndex: a0}); err != nil {
			t.Fatal(err)
		}
	}
	group := func(id uint32, buckets uint16) rtm.NexthopSpec {
		return rtm.NexthopSpec{ID: id, Group: []rtm.NexthopGroupMember{{ID: 900}, {ID: 901}},
			GroupType: rtm.NexthopGroupResilient, Resilience: rtm.NexthopResilience{Buckets: buckets}}
	}
	addInBatch(t, h, 40, func(bt *rtm.Batch, i int) error { return bt.NexthopAdd(group(uint32(1000+i), 64)) })
	env := churnEnv{
		dump: func(h *rtm.Handle) ([]string, error) {
			return hostile.Keys(h.NexthopBuckets(ctx, nil), func(b rtm.NexthopBucket) string {
				return fmt.Sprintf("%d/%d", b.GroupID(), b.Index())
			})
		},
		churned: func(k string) bool {
			g, _, _ := strings.Cut(k, "/")
			n, _ := strconv.Atoi(g)
			return n >= 1 && n <= churnSlots
		},
		add: func(h *rtm.Handle, i int) error { return h.NexthopAdd(ctx, group(uint32(1+i), 16)) },
		del: func(h *rtm.Handle, i int) error { return h.NexthopDel(ctx, uint32(1+i)) },
	}
	runChurn(t, h, churner, env, churnDumps).check(t, true, false)
}

// TestReplayNexthopBuckets replays a recorded bucket dump and gets
// (NLTEST_RECORD=1 records them again, as root).
func TestReplayNexthopBuckets(t *testing.T) {
	h := replayHandle(t, "nexthopbuckets", func(ns *nstest.NS) {
		vethNS(t, ns,
			[]string{"nexthop", "add", "id", "1", "via", "192.0.2.254", "dev", "veth0"},
			[]string{"nexthop", "add", "id", "2", "via", "192.0.2.253", "dev", "veth0"},
			[]string{"nexthop", "add", "id", "10", "group", "1/2", "type", "resilient", "buckets", "4"})
	})
	keys, err := hostile.Keys(h.NexthopBuckets(ctx, &rtm.NexthopBucketFilter{GroupID: 10}), bucketKey)
	if err != nil || len(keys) != 4 {
		t.Fatalf("buckets %v, %v; want 4", keys, err)
	}
	for i, k := range keys {
		if g, idx, _ := strings.Cut(k, "/"); g != "10" || !strings.HasPrefix(idx, strconv.Itoa(i)+"/") {
			t.Errorf("bucket %d: %s", i, k)
		}
	}
	b, err := h.NexthopBucketGet(ctx, 10, 3)
	if err != nil || bucketKey(b) != keys[3] {
		t.Errorf("get 10/3: %s %v; the dump had %s", bucketKey(b), err, keys[3])
	}
	if _, err := h.NexthopBucketGet(ctx, 99, 0); !errors.Is(err, rtm.ErrNotFound) {
		t.Errorf("get 99/0: %v", err)
	}
}

// TestNexthopBucketHostileBytes decodes short and malformed bucket
// messages: an error or zero values, never a panic.
func TestNexthopBucketHostileBytes(t *testing.T) {
	if _, err := rtm.NexthopBucketFromBytes([]byte{1, 2, 3}); err == nil {
		t.Error("a payload shorter than nhmsg decoded")
	}
	// nhmsg, NHA_ID of 2 bytes, NHA_RES_BUCKET holding an index of 1
	// byte and a nexthop id of 2.
	msg := []byte{0, 0, 0, 0, 0x40, 0, 0, 0,
		6, 0, 1, 0, 10, 0, 0, 0,
		20, 0, 13 | 0x80, 0, 5, 0, 1, 0, 7, 0, 0, 0, 6, 0, 3, 0, 9, 9, 0, 0}
	for n := range len(msg) + 1 {
		b, err := rtm.NexthopBucketFromBytes(msg[:n])
		if err != nil {
			continue
		}
		_ = bucketKey(b)
		_ = b.IdleTime()
		_ = b.Flags()
		for range b.Attrs() {
		}
	}
	b, err := rtm.NexthopBucketFromBytes(msg)
	if err != nil || b.GroupID() != 0 || b.Index() != 0 || b.NexthopID() != 0 || b.Flags() != unix.RTNH_F_TRAP {
		t.Errorf("malformed bucket: %s flags %#x, %v", bucketKey(b), b.Flags(), err)
	}
}
