// Command capture records real kernel netlink replies as test and fuzz
// data. It dumps links, addresses, routes, rules, neighbours, neighbour
// tables and nexthops of a network namespace, provokes a few errors (with
// extended ACKs), and writes each reply stream, exactly as received, to a
// file.
//
// It uses raw system calls rather than the ipr packages, so that what it
// records has not passed through the code it will test.
//
// Usage (as root, normally through scripts/capture.sh, which builds a
// varied namespace first):
//
//	go run ./internal/capture -netns NAME -out DIR [-fuzz DIR]
//	go run ./internal/capture -from DIR -fuzz DIR
//
// Every DIR/NAME.bin holds the concatenated datagrams of one exchange. With
// -fuzz, each capture also becomes seeds in Go's corpus format: the whole
// stream for the wire target, the attribute chains of its first messages
// for the nla target, and each message's payload (nlmsghdr stripped) for
// the rtm target of its type (FuzzRtmLink for RTM_NEWLINK, ...). With
// -from, no kernel is involved: the seeds are written from the captures
// already in DIR, so that the committed corpus can be regenerated without
// root. The bytes are in this machine's byte order.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

var ne = binary.NativeEndian

type request struct {
	name    string
	typ     uint16
	flags   uint16
	fixed   []byte
	attrs   []byte
	dumping bool
}

func family(f byte, n int) []byte {
	b := make([]byte, n)
	b[0] = f
	return b
}

// requests lists the exchanges to record.
func requests() []request {
	longName := rawnl.Attr(unix.IFLA_IFNAME, []byte("a-name-of-twenty-chars\x00"))
	loName := rawnl.Attr(unix.IFLA_IFNAME, []byte("lo\x00"))
	kindBridge := rawnl.Attr(unix.IFLA_LINKINFO|unix.NLA_F_NESTED, rawnl.Attr(unix.IFLA_INFO_KIND, []byte("bridge\x00")))
	return []request{
		{name: "link-dump", typ: unix.RTM_GETLINK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), dumping: true},
		{name: "addr-dump", typ: unix.RTM_GETADDR, fixed: family(unix.AF_UNSPEC, unix.SizeofIfAddrmsg), dumping: true},
		{name: "route4-dump", typ: unix.RTM_GETROUTE, fixed: family(unix.AF_INET, unix.SizeofRtMsg), dumping: true},
		{name: "route6-dump", typ: unix.RTM_GETROUTE, fixed: family(unix.AF_INET6, unix.SizeofRtMsg), dumping: true},
		{name: "rule-dump", typ: unix.RTM_GETRULE, fixed: family(unix.AF_UNSPEC, 12), dumping: true},
		{name: "neigh-dump", typ: unix.RTM_GETNEIGH, fixed: family(unix.AF_UNSPEC, unix.SizeofNdMsg), dumping: true},
		{name: "fdb-dump", typ: unix.RTM_GETNEIGH, fixed: family(unix.AF_BRIDGE, unix.SizeofNdMsg), dumping: true},
		// struct ndtmsg is 4 bytes, struct nhmsg 8.
		{name: "neightbl-dump", typ: unix.RTM_GETNEIGHTBL, fixed: family(unix.AF_UNSPEC, 4), dumping: true},
		{name: "nexthop-dump", typ: unix.RTM_GETNEXTHOP, fixed: family(unix.AF_UNSPEC, 8), dumping: true},
		// struct netconfmsg and rtgenmsg: 1 byte, padded to 4; struct
		// ifaddrlblmsg 12, br_port_msg 8, if_stats_msg 12 (mask: every
		// group).
		{name: "netconf-dump", typ: unix.RTM_GETNETCONF, fixed: family(unix.AF_UNSPEC, 4), dumping: true},
		{name: "addrlabel-dump", typ: unix.RTM_GETADDRLABEL, fixed: family(unix.AF_INET6, 12), dumping: true},
		{name: "nsid-dump", typ: unix.RTM_GETNSID, fixed: family(unix.AF_UNSPEC, 4), dumping: true},
		{name: "mdb-dump", typ: unix.RTM_GETMDB, fixed: family(unix.AF_BRIDGE, 8), dumping: true},
		{name: "stats-dump", typ: unix.RTM_GETSTATS, fixed: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0}, dumping: true},
		{name: "link-get-lo", typ: unix.RTM_GETLINK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: loName},
		{name: "error-eexist", typ: unix.RTM_NEWLINK, flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL | unix.NLM_F_ACK,
			fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: append(rawnl.Attr(unix.IFLA_IFNAME, []byte("lo\x00")), kindBridge...)},
		{name: "error-policy", typ: unix.RTM_NEWLINK, flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL | unix.NLM_F_ACK,
			fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: append(longName, kindBridge...)},
		{name: "error-dump-strict", typ: unix.RTM_GETLINK, fixed: append(family(unix.AF_UNSPEC, 4), 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0), dumping: true},
		{name: "ack-ok", typ: unix.RTM_SETLINK, flags: unix.NLM_F_ACK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: loName},
	}
}

func main() {
	nsName := flag.String("netns", "", "namespace to capture (required unless -from)")
	out := flag.String("out", "", "directory for the .bin captures (required unless -from)")
	from := flag.String("from", "", "write seeds from the captures in this directory instead of capturing")
	fuzzDir := flag.String("fuzz", "", "fuzz/testdata/fuzz directory to add seeds to (optional; required with -from)")
	flag.Parse()
	if *from != "" {
		if *fuzzDir == "" || *nsName != "" || *out != "" {
			flag.Usage()
			os.Exit(2)
		}
		seedFrom(*from, *fuzzDir)
		return
	}
	if *nsName == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	reqs := requests()
	h, err := netns.Open(*nsName)
	if err != nil {
		log.Fatal(err)
	}
	var fd int
	err = netns.Do(h, func() (err error) {
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		log.Fatal(err)
	}
	for _, opt := range []int{unix.NETLINK_EXT_ACK, unix.NETLINK_GET_STRICT_CHK} {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, 1); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for i, r := range reqs {
		flags := r.flags | unix.NLM_F_REQUEST
		if r.dumping {
			flags |= unix.NLM_F_DUMP
		}
		payload := append(append([]byte(nil), r.fixed...), r.attrs...)
		msg := rawnl.Msg(r.typ, flags, uint32(i+1), 0, payload)
		if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
			log.Fatalf("%s: %v", r.name, err)
		}
		var stream bytes.Buffer
		for done := false; !done; {
			n, _, err := unix.Recvfrom(fd, buf, 0)
			if err != nil {
				log.Fatalf("%s: %v", r.name, err)
			}
			stream.Write(buf[:n])
			// An exchange ends with DONE, with an error or ack, or, for a
			// plain get, with its single reply.
			for off := 0; off+16 <= n; {
				l := int(ne.Uint32(buf[off:]))
				t := ne.Uint16(buf[off+4:])
				f := ne.Uint16(buf[off+6:])
				if t == unix.NLMSG_DONE || t == unix.NLMSG_ERROR || f&unix.NLM_F_MULTI == 0 {
					done = true
				}
				if l < 16 {
					break
				}
				off += (l + 3) &^ 3
			}
		}
		path := filepath.Join(*out, r.name+".bin")
		if err := os.WriteFile(path, stream.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-20s %6d bytes -> %s\n", r.name, stream.Len(), path)
		if *fuzzDir != "" {
			seeds(*fuzzDir, r, stream.Bytes())
		}
	}
}

// seedFrom writes the seeds of every capture found in dir.
func seedFrom(dir, fuzzDir string) {
	for _, r := range requests() {
		data, err := os.ReadFile(filepath.Join(dir, r.name+".bin"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		seeds(fuzzDir, r, data)
		fmt.Printf("%-20s seeded from %d bytes\n", r.name, len(data))
	}
}

// rtmTargets maps the type of a reply message to the fuzz target of its
// view in package rtm.
var rtmTargets = map[uint16]string{
	unix.RTM_NEWLINK:      "FuzzRtmLink",
	unix.RTM_NEWADDR:      "FuzzRtmAddr",
	unix.RTM_NEWROUTE:     "FuzzRtmRoute",
	unix.RTM_NEWNEIGH:     "FuzzRtmNeigh",
	unix.RTM_NEWRULE:      "FuzzRtmRule",
	unix.RTM_NEWNEXTHOP:   "FuzzRtmNexthop",
	unix.RTM_NEWNEIGHTBL:  "FuzzRtmNeighTable",
	unix.RTM_NEWNETCONF:   "FuzzRtmNetconf",
	unix.RTM_NEWADDRLABEL: "FuzzRtmAddrLabel",
	unix.RTM_NEWNSID:      "FuzzRtmNetnsID",
	unix.RTM_GETMDB:       "FuzzRtmMDB", // an MDB dump's replies have this type
	unix.RTM_NEWSTATS:     "FuzzRtmLinkStats",
}

// maxRtmSeeds bounds the seeds one capture gives each rtm target: enough
// for every message of the small dumps recorded here.
const maxRtmSeeds = 32

// seeds writes the seeds of the capture of r, whose reply stream is data.
func seeds(fuzzDir string, r request, data []byte) {
	seed(fuzzDir, "FuzzWireMessages", r.name, data)
	perTarget := map[string]int{}
	for k, off := 0, 0; off+16 <= len(data); k++ {
		l := int(ne.Uint32(data[off:]))
		if l < 16 || off+l > len(data) {
			break
		}
		msg := data[off : off+l]
		// The attribute chains of the first messages seed the nla target.
		if k < 3 && l >= 16+len(r.fixed) {
			seed(fuzzDir, "FuzzNlaChain", r.name+"-"+strconv.Itoa(k), msg[16+len(r.fixed):])
		}
		if target, ok := rtmTargets[ne.Uint16(msg[4:])]; ok && perTarget[target] < maxRtmSeeds {
			seed(fuzzDir, target, r.name+"-"+strconv.Itoa(perTarget[target]), msg[16:])
			perTarget[target]++
		}
		off += (l + 3) &^ 3
	}
}

// seed writes b as a corpus entry in Go's fuzzing format.
func seed(dir, target, name string, b []byte) {
	d := filepath.Join(dir, target)
	if err := os.MkdirAll(d, 0o755); err != nil {
		log.Fatal(err)
	}
	content := "go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n"
	if err := os.WriteFile(filepath.Join(d, "kernel-"+name), []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}
