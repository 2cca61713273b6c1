package tc_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// A fixture is a tc command line, the request ipr builds for it, and (in
// testdata/requests.tsv) the bytes tc 6.1 sends for it, which strace
// shows even when the kernel refuses the request: so kinds this kernel
// lacks are checked against tc too. TC_FIXTURES_RECORD=1 records the file
// again (as root, with strace and tc installed), in a namespace whose
// veth pair has p1 at index 2 and p0 at index 3.
type fixture struct {
	name string
	args string
	req  rtm.Request
	// opts are the options the request's bytes decode to, when they
	// differ from those given (nil: compare with the request's).
	opts tc.Options
}

// fixtureFile holds the recorded bytes.
const fixtureFile = "testdata/requests.tsv"

// reqOptions returns the options a fixture's request was built with.
func reqOptions(q rtm.Request) tc.Options {
	v := reflect.ValueOf(q).Elem().FieldByName("s")
	o := v.FieldByName("Options")
	if !o.IsValid() || o.IsNil() {
		return nil
	}
	return reflect.NewAt(o.Type(), o.Addr().UnsafePointer()).Elem().Interface().(tc.Options)
}

// recorded is one line of the fixture file.
type recorded struct {
	typ, flags uint16
	payload    []byte
}

func readFixtures(t *testing.T) map[string]recorded {
	f, err := os.Open(fixtureFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]recorded{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 4 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		typ, err1 := strconv.ParseUint(fields[1], 0, 16)
		flags, err2 := strconv.ParseUint(fields[2], 0, 16)
		payload, err3 := hex.DecodeString(fields[3])
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("%s: bad line %q", fixtureFile, sc.Text())
		}
		m[fields[0]] = recorded{uint16(typ), uint16(flags), payload}
	}
	return m
}

// build returns the message q appends.
func build(t *testing.T, q rtm.Request) wire.Message {
	t.Helper()
	var b wire.Builder
	if err := q.AppendTo(&rtnl.Req{B: &b}); err != nil {
		t.Fatalf("AppendTo: %v", err)
	}
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	m, _, ok, err := wire.Next(b.Bytes())
	if err != nil || !ok {
		t.Fatalf("no message: %v", err)
	}
	return m
}

// checkFixtures compares the requests of fixtures with tc's recorded
// bytes, and decodes those bytes back to the requests' options.
func checkFixtures(t *testing.T, fixtures []fixture) {
	if os.Getenv("TC_FIXTURES_RECORD") != "" {
		recordFixtures(t, fixtures)
	}
	rec := readFixtures(t)
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			want, ok := rec[fx.name]
			if !ok {
				t.Fatalf("no recorded bytes for %q (record with TC_FIXTURES_RECORD=1)", fx.name)
			}
			m := build(t, fx.req)
			flags := m.Header.Flags &^ (unix.NLM_F_REQUEST | unix.NLM_F_ACK)
			if m.Header.Type != want.typ || flags != want.flags&^(unix.NLM_F_REQUEST|unix.NLM_F_ACK) {
				t.Errorf("type %#x flags %#x, tc sends %#x %#x", m.Header.Type, flags, want.typ, want.flags)
			}
			if !bytes.Equal(m.Data, want.payload) {
				t.Errorf("tc %s:\nipr %x\ntc  %x", fx.args, m.Data, want.payload)
			}
			wantOpts := fx.opts
			if wantOpts == nil {
				wantOpts = reqOptions(fx.req)
			}
			if wantOpts == nil {
				return
			}
			got, err := decodeOptions(want.typ, want.payload)
			if err != nil {
				t.Fatalf("decode tc's bytes: %v", err)
			}
			if !reflect.DeepEqual(got, wantOpts) {
				t.Errorf("tc's bytes decode to\n%#v\nwant\n%#v", got, wantOpts)
			}
		})
	}
}

// decodeOptions decodes the options of a qdisc or class message.
func decodeOptions(typ uint16, payload []byte) (tc.Options, error) {
	switch typ {
	case unix.RTM_NEWQDISC, unix.RTM_DELQDISC:
		q, err := tc.QdiscFromBytes(payload)
		if err != nil {
			return nil, err
		}
		return tc.QdiscOptionsOf(q)
	case unix.RTM_NEWTCLASS, unix.RTM_DELTCLASS:
		c, err := tc.ClassFromBytes(payload)
		if err != nil {
			return nil, err
		}
		return tc.ClassOptionsOf(c)
	}
	return nil, fmt.Errorf("message type %#x", typ)
}

var straceLine = regexp.MustCompile(`nlmsg_type=(0x[0-9a-f]+|RTM_\w+)[^,]*, nlmsg_flags=([^,]+), nlmsg_seq.*?\}, "((?:\\x[0-9a-f]{2})*)"\]`)

// recordFixtures runs tc under strace for each fixture and writes the
// bytes of the last request it sends to the fixture file.
func recordFixtures(t *testing.T, fixtures []fixture) {
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	nstest.IP(t, ns, "link", "set", "p0", "up")
	nstest.IP(t, ns, "link", "set", "p1", "up")
	old := map[string]string{}
	if b, err := os.ReadFile(fixtureFile); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if name, _, ok := strings.Cut(l, "\t"); ok {
				old[name] = l
			}
		}
	}
	names := map[string]uint16{"RTM_NEWQDISC": unix.RTM_NEWQDISC, "RTM_DELQDISC": unix.RTM_DELQDISC,
		"RTM_NEWTCLASS": unix.RTM_NEWTCLASS, "RTM_DELTCLASS": unix.RTM_DELTCLASS,
		"RTM_NEWTFILTER": unix.RTM_NEWTFILTER, "RTM_DELTFILTER": unix.RTM_DELTFILTER,
		"RTM_NEWACTION": unix.RTM_NEWACTION, "RTM_DELACTION": unix.RTM_DELACTION}
	bits := map[string]uint16{"NLM_F_REQUEST": 1, "NLM_F_ACK": 4, "NLM_F_ECHO": 8, "NLM_F_REPLACE": 0x100,
		"NLM_F_EXCL": 0x200, "NLM_F_CREATE": 0x400, "NLM_F_APPEND": 0x800}
	for _, fx := range fixtures {
		args := append([]string{"-f", "-e", "trace=sendmsg", "-xx", "-s", "65536", "ip", "netns", "exec", ns.Name, "tc"}, strings.Fields(fx.args)...)
		out, _ := exec.Command("strace", args...).CombinedOutput()
		var last []string
		for _, l := range strings.Split(string(out), "\n") {
			if m := straceLine.FindStringSubmatch(l); m != nil {
				last = m
			}
		}
		if last == nil {
			t.Fatalf("tc %s: no request in strace's output:\n%s", fx.args, out)
		}
		typ, ok := names[last[1]]
		if !ok {
			v, _ := strconv.ParseUint(last[1], 0, 16)
			typ = uint16(v)
		}
		var flags uint16
		for _, f := range strings.Split(last[2], "|") {
			f = strings.TrimSpace(f)
			if v, ok := bits[f]; ok {
				flags |= v
			} else {
				v, _ := strconv.ParseUint(f, 0, 16)
				flags |= uint16(v)
			}
		}
		old[fx.name] = fmt.Sprintf("%s\t%#x\t%#x\t%s\t%s", fx.name, typ, flags, strings.ReplaceAll(last[3], `\x`, ""), fx.args)
	}
	var lines []string
	for _, l := range old {
		if l != "" {
			lines = append(lines, l)
		}
	}
	sortStrings(lines)
	if err := os.WriteFile(fixtureFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// buildErr returns the error of appending q.
func buildErr(q rtm.Request) ([]byte, error) {
	var b wire.Builder
	err := q.AppendTo(&rtnl.Req{B: &b})
	return b.Bytes(), err
}

// replyFile holds kernel replies to qdisc and class dumps (payloads in
// hex, one a line), the seeds of the fuzz targets; TC_FIXTURES_RECORD=1
// records them again.
const replyFile = "testdata/replies.hex"

func TestRecordReplies(t *testing.T) {
	if os.Getenv("TC_FIXTURES_RECORD") == "" {
		t.Skip("TC_FIXTURES_RECORD not set")
	}
	_, h := tcMade(t, []string{"qdisc:htb", "qdisc:tbf", "qdisc:clsact"},
		"qdisc add dev p0 root handle 1: htb default 10",
		"class add dev p0 parent 1: classid 1:1 htb rate 10mbit",
		"class add dev p0 parent 1:1 classid 1:10 htb rate 1mbit ceil 20gbit",
		"qdisc add dev p0 parent 1:10 handle 10: pfifo limit 10",
		"qdisc add dev p0 clsact",
		"qdisc add dev p1 root tbf rate 30gbit burst 1m latency 10ms peakrate 40gbit mtu 9000",
		"qdisc add dev p1 ingress",
	)
	var lines []string
	ctx := context.Background()
	for q, err := range tc.Qdiscs(ctx, h, nil) {
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, hex.EncodeToString(q.Bytes()))
	}
	for c, err := range tc.Classes(ctx, h, tc.ClassFilter{Ifindex: p0}) {
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, hex.EncodeToString(c.Bytes()))
	}
	if err := os.WriteFile(replyFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
