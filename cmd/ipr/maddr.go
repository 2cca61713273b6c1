package main

// ip maddress: the multicast addresses of each device, read from
// /proc/net/{dev_mcast,igmp,igmp6} of the namespace, and link-layer
// multicast addresses added and removed with SIOCADDMULTI/SIOCDELMULTI,
// as iproute2 6.1's ipmaddr.c does.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

const maddrUsage = `Usage: ipr maddr [ add | del ] MULTIADDR dev STRING
       ipr maddr show [ dev STRING ]
`

// maddrVerbs are do_multiaddr's commands in its order.
var maddrVerbs = [...]verb{
	{name: "add", stats: true, run: func(e *env, a *args) error { return maddrModify(e, a, unix.SIOCADDMULTI) }},
	{name: "delete", stats: true, run: func(e *env, a *args) error { return maddrModify(e, a, unix.SIOCDELMULTI) }},
	{name: "list", stats: true, run: maddrShow},
	{name: "show", stats: true, run: maddrShow},
	{name: "lst", stats: true, run: maddrShow},
	{name: "help"},
}

// maddrEntry is one multicast address of one device (ipmaddr.c's
// ma_info).
type maddrEntry struct {
	index  int
	name   string
	family uint8
	addr   []byte
	users  uint64
	static bool
}

func maddrShow(e *env, a *args) error {
	var dev string
	for a.more() {
		w := a.advance()
		if w == "dev" {
			if !a.more() {
				return errIncomplete
			}
			w = a.advance()
		} else if matches(w, "help") {
			return usageText(maddrUsage)
		}
		if dev != "" {
			return duparg2("dev", w)
		}
		dev = w
	}
	var list []maddrEntry
	read := func() error {
		f := e.Family
		if f == 0 || f == unix.AF_PACKET {
			list = readDevMcast(list, dev)
		}
		if f == 0 || f == unix.AF_INET {
			list = readIGMP(list, dev)
		}
		if f == 0 || f == unix.AF_INET6 {
			list = readIGMP6(list, dev)
		}
		return nil
	}
	// /proc/thread-self/net describes the namespace of the thread that
	// reads it: inside -n's namespace when there is one.
	if e.ns != nil {
		if err := netns.Do(e.ns, read); err != nil {
			return err
		}
	} else {
		read()
	}
	// maddr_ins keeps the entries in index order, each after those of
	// its index already there.
	sort.SliceStable(list, func(i, j int) bool { return list[i].index < list[j].index })
	p := e.newPrinter()
	p.openArray("")
	cur := 0
	for _, m := range list {
		if m.index != cur || e.Oneline {
			if cur != 0 {
				p.closeArray()
				p.closeObject()
			}
			p.openObject("")
			p.uint("ifindex", "%d:", uint64(m.index))
			p.colorStr(colorIfname, "ifname", "\t%s", m.name)
			p.nl()
			cur = m.index
			p.openArray("maddr")
		}
		p.textString("\t")
		p.openObject("")
		if m.family == unix.AF_PACKET {
			p.textString("link  ")
			p.colorStr(colorMAC, "link", "%s", hwString(m.addr, unix.ARPHRD_ETHER))
		} else {
			p.str("family", "%-5s ", familyName(m.family))
			p.colorStr(familyColor(m.family), "address", "%s", hostString(m.addr))
		}
		if m.users != 1 {
			p.uint("users", " users %d", m.users)
		}
		if m.static {
			p.str("features", " %s", "static")
		}
		p.endl()
		p.closeObject()
	}
	if cur != 0 {
		p.closeArray()
		p.closeObject()
	}
	return e.endList(p)
}

// procLines returns the lines of a file of /proc/thread-self/net.
func procLines(name string) [][]byte {
	b, err := os.ReadFile("/proc/thread-self/net/" + name)
	if err != nil {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
}

// parseHexBytes is ipmaddr.c's parse_hex: pairs of hex digits.
func parseHexBytes(s string) ([]byte, bool) {
	if len(s)%2 != 0 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

// readDevMcast reads /proc/net/dev_mcast: "INDEX NAME USERS STATIC HEX".
func readDevMcast(list []maddrEntry, dev string) []maddrEntry {
	return readProcGroups(list, dev, "dev_mcast", unix.AF_PACKET, procGroupColumns{addr: 4, users: 2, static: 3})
}

// readIGMP6 reads /proc/net/igmp6: "INDEX NAME HEX USERS ...".
func readIGMP6(list []maddrEntry, dev string) []maddrEntry {
	return readProcGroups(list, dev, "igmp6", unix.AF_INET6, procGroupColumns{addr: 2, users: 3})
}

// procGroupColumns are where a line of a /proc/net file of groups, after
// "INDEX NAME", has the address in hex, the count of users and (where
// static is not 0) the static flag.
type procGroupColumns struct{ addr, users, static int }

// readProcGroups appends the groups of the /proc/net file (of dev only,
// if not empty), a line each.
func readProcGroups(list []maddrEntry, dev, file string, family uint8, col procGroupColumns) []maddrEntry {
	for _, line := range procLines(file) {
		f := strings.Fields(string(line))
		if len(f) <= max(col.addr, col.users, col.static) || dev != "" && f[1] != dev {
			continue
		}
		addr, ok := parseHexBytes(f[col.addr])
		if !ok {
			continue
		}
		index, _ := strconv.Atoi(f[0])
		users, _ := strconv.ParseUint(f[col.users], 10, 32)
		list = append(list, maddrEntry{index: index, name: f[1], family: family,
			addr: addr, users: users, static: col.static != 0 && f[col.static] != "0"})
	}
	return list
}

// readIGMP reads /proc/net/igmp: a line per device ("INDEX NAME: ...")
// followed by tab-indented lines, one per group, whose address is the
// network-order word printed as hex in host order.
func readIGMP(list []maddrEntry, dev string) []maddrEntry {
	lines := procLines("igmp")
	if len(lines) == 0 {
		return list
	}
	var (
		index int
		name  string
	)
	for _, line := range lines[1:] {
		f := strings.Fields(string(line))
		if len(line) == 0 || line[0] != '\t' {
			if len(f) >= 2 {
				index, _ = strconv.Atoi(f[0])
				name = strings.TrimSuffix(f[1], ":")
			}
			continue
		}
		if dev != "" && name != dev || len(f) < 2 {
			continue
		}
		v, err := strconv.ParseUint(f[0], 16, 32)
		if err != nil {
			continue
		}
		users, _ := strconv.ParseUint(f[1], 10, 32)
		addr := binary.NativeEndian.AppendUint32(nil, uint32(v))
		list = append(list, maddrEntry{index: index, name: name, family: unix.AF_INET, addr: addr, users: users})
	}
	return list
}

// maddrModify is ipmaddr.c's multiaddr_modify: a link-layer multicast
// address added to or removed from a device by ioctl, on a socket opened
// in the namespace.
func maddrModify(e *env, a *args, req uint) error {
	var (
		dev  string
		addr []byte
	)
	for a.more() {
		w := a.advance()
		if w == "dev" {
			if !a.more() {
				return errIncomplete
			}
			v := a.advance()
			if dev != "" {
				return duparg("dev", v)
			}
			if !validIfname(v) {
				return invarg(`"dev" not a valid ifname`, v)
			}
			dev = v
			continue
		}
		if matches(w, "address") {
			if !a.more() {
				return errIncomplete
			}
			w = a.advance()
		}
		if matches(w, "help") {
			return usageText(maddrUsage)
		}
		if addr != nil {
			return duparg("address", w)
		}
		hw, bad := parseLLAddr(w, 14) // sizeof(sa_data)
		if hw == nil {
			return failf("%q is invalid lladdr.", bad)
		}
		if len(hw) != 6 {
			return failf("Error: Invalid address length %d - must be %d bytes", len(hw), 6)
		}
		addr = hw
	}
	if dev == "" {
		return &cliError{code: exitUsage, msg: `Not enough information: "dev" is required.`}
	}
	family := unix.AF_INET
	switch e.Family {
	case unix.AF_INET6, unix.AF_PACKET, unix.AF_INET:
		family = int(e.Family)
	}
	do := func() error {
		fd, err := unix.Socket(family, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return failf("Cannot create socket: %s", strerror(err))
		}
		defer unix.Close(fd)
		var ifr [unix.IFNAMSIZ + 24]byte // struct ifreq: name, then ifr_hwaddr (a sockaddr)
		copy(ifr[:unix.IFNAMSIZ-1], dev)
		copy(ifr[unix.IFNAMSIZ+2:], addr) // sa_family (0), then sa_data
		if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(unsafe.Pointer(&ifr[0]))); errno != 0 {
			return failf("ioctl: %s", strerror(errno))
		}
		return nil
	}
	if e.ns != nil {
		return netns.Do(e.ns, do)
	}
	return do()
}

// parseLLAddr is iproute2's ll_addr_a2n: an IPv4 address (the form of
// IP tunnels' addresses) or colon-separated hex bytes (at most max); the
// address, or the component that is wrong.
func parseLLAddr(s string, max int) ([]byte, string) {
	if strings.Contains(s, ".") {
		a, ok := parsePartialIPv4(s)
		if !ok {
			return nil, s
		}
		return a.AsSlice(), ""
	}
	var out []byte
	for _, part := range strings.Split(s, ":") {
		if len(out) == max {
			break
		}
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(part, "0x"), "0X"), 16, 64)
		if err != nil || v > 255 {
			return nil, part
		}
		out = append(out, byte(v))
	}
	return out, ""
}
