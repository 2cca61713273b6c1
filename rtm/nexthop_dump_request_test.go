package rtm

import (
	"context"
	"fmt"
	"testing"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// TestNexthopDumpRequests pins the filters of nexthop and bucket dump
// requests (ceb2c18: newNexthopDump): the family in the header, then the
// attributes in iproute2's order (nh_dump_filter's output interface and
// master, then nh_dump_bucket_filter's group id and bucket nest), none
// for an unset filter.
func TestNexthopDumpRequests(t *testing.T) {
	fake := nltest.NewFake()
	var got []string
	record := func(req wire.Message) ([][]byte, error) {
		s := fmt.Sprintf("type %d family %d:", req.Header.Type, req.Data[0])
		for a := range nla.Chain(req.Data[sizeofNhMsg:]).All() {
			s += fmt.Sprintf(" %d=% x", a.Kind(), a.Data)
		}
		got = append(got, s)
		return nil, nil
	}
	fake.Handle(unix.RTM_GETNEXTHOP, record)
	fake.Handle(unix.RTM_GETNEXTHOPBUCKET, record)
	h, err := Dial(WithTransport(fake.Dial))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	for _, f := range []*NexthopFilter{nil, {}, {Family: unix.AF_INET6, OutIndex: 3, MasterIndex: 4, Groups: true}} {
		for _, err := range h.Nexthops(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range []*NexthopBucketFilter{nil, {GroupID: 7},
		{Family: unix.AF_INET, GroupID: 7, NexthopID: 9, OutIndex: 3, MasterIndex: 4}} {
		for _, err := range h.NexthopBuckets(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	u32 := func(v uint32) string { return fmt.Sprintf("% x", native.AppendUint32(nil, v)) }
	want := []string{
		"type 106 family 0:",
		"type 106 family 0:",
		"type 106 family 10: 5=" + u32(3) + " 10=" + u32(4) + " 9=",
		"type 118 family 0:",
		"type 118 family 0: 1=" + u32(7),
		"type 118 family 2: 5=" + u32(3) + " 10=" + u32(4) + " 1=" + u32(7) + " 13=" + fmt.Sprintf("% x", append(native.AppendUint16(native.AppendUint16(nil, 8), nhaResBucketNHID), native.AppendUint32(nil, 9)...)),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests:\n%q\nwant\n%q", got, want)
	}
}
