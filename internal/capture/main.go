// Command capture records real kernel netlink replies as test and fuzz
// data. It dumps links, addresses, routes, rules and neighbours of a
// network namespace, provokes a few errors (with extended ACKs), and
// writes each reply stream, exactly as received, to a file.
//
// It uses raw system calls rather than the ipr packages, so that what it
// records has not passed through the code it will test.
//
// Usage (as root, normally through scripts/capture.sh, which builds a
// varied namespace first):
//
//	go run ./internal/capture -netns NAME -out DIR [-fuzz DIR]
//
// Every DIR/NAME.bin holds the concatenated datagrams of one exchange. With
// -fuzz, each capture also becomes a seed of the wire and nla fuzz targets
// in Go's corpus format. The bytes are in this machine's byte order.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

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

func attr(typ uint16, payload []byte) []byte {
	b := ne.AppendUint16(nil, uint16(4+len(payload)))
	b = ne.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func family(f byte, n int) []byte {
	b := make([]byte, n)
	b[0] = f
	return b
}

func main() {
	nsName := flag.String("netns", "", "namespace to capture (required)")
	out := flag.String("out", "", "directory for the .bin captures (required)")
	fuzzDir := flag.String("fuzz", "", "fuzz/testdata/fuzz directory to add seeds to (optional)")
	flag.Parse()
	if *nsName == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
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
	longName := attr(unix.IFLA_IFNAME, []byte("a-name-of-twenty-chars\x00"))
	loName := attr(unix.IFLA_IFNAME, []byte("lo\x00"))
	kindBridge := attr(unix.IFLA_LINKINFO|unix.NLA_F_NESTED, attr(unix.IFLA_INFO_KIND, []byte("bridge\x00")))
	reqs := []request{
		{name: "link-dump", typ: unix.RTM_GETLINK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), dumping: true},
		{name: "addr-dump", typ: unix.RTM_GETADDR, fixed: family(unix.AF_UNSPEC, unix.SizeofIfAddrmsg), dumping: true},
		{name: "route4-dump", typ: unix.RTM_GETROUTE, fixed: family(unix.AF_INET, unix.SizeofRtMsg), dumping: true},
		{name: "route6-dump", typ: unix.RTM_GETROUTE, fixed: family(unix.AF_INET6, unix.SizeofRtMsg), dumping: true},
		{name: "rule-dump", typ: unix.RTM_GETRULE, fixed: family(unix.AF_UNSPEC, 12), dumping: true},
		{name: "neigh-dump", typ: unix.RTM_GETNEIGH, fixed: family(unix.AF_UNSPEC, unix.SizeofNdMsg), dumping: true},
		{name: "link-get-lo", typ: unix.RTM_GETLINK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: loName},
		{name: "error-eexist", typ: unix.RTM_NEWLINK, flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL | unix.NLM_F_ACK,
			fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: append(attr(unix.IFLA_IFNAME, []byte("lo\x00")), kindBridge...)},
		{name: "error-policy", typ: unix.RTM_NEWLINK, flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL | unix.NLM_F_ACK,
			fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: append(longName, kindBridge...)},
		{name: "error-dump-strict", typ: unix.RTM_GETLINK, fixed: append(family(unix.AF_UNSPEC, 4), 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0), dumping: true},
		{name: "ack-ok", typ: unix.RTM_SETLINK, flags: unix.NLM_F_ACK, fixed: family(unix.AF_UNSPEC, unix.SizeofIfInfomsg), attrs: loName},
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
		msg := make([]byte, 16, 16+len(payload))
		ne.PutUint32(msg[0:], uint32(16+len(payload)))
		ne.PutUint16(msg[4:], r.typ)
		ne.PutUint16(msg[6:], flags)
		ne.PutUint32(msg[8:], uint32(i+1))
		msg = append(msg, payload...)
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
			seed(*fuzzDir, "FuzzWireMessages", r.name, stream.Bytes())
			// The attribute chains of the first messages seed the nla target.
			data := stream.Bytes()
			for k, off := 0, 0; k < 3 && off+16+len(r.fixed) <= len(data); k++ {
				l := int(ne.Uint32(data[off:]))
				if l < 16+len(r.fixed) || off+l > len(data) {
					break
				}
				seed(*fuzzDir, "FuzzNlaChain", r.name+"-"+strconv.Itoa(k), data[off+16+len(r.fixed):off+l])
				off += (l + 3) &^ 3
			}
		}
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
