package main

// A link's XDP programs as ip prints them: iproute2 6.1's xdp_dump
// (iplink_xdp.c) and bpf_dump_prog_info (lib/bpf_legacy.c), which asks
// the kernel about each program by id.

import (
	"encoding/binary"
	"encoding/hex"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// XDP_ATTACHED_* (linux/if_link.h).
const (
	xdpAttachedNone  = 0
	xdpAttachedDrv   = 1
	xdpAttachedSKB   = 2
	xdpAttachedHW    = 3
	xdpAttachedMulti = 4
)

// bpfProgInfo is what bpf_dump_prog_info prints of struct bpf_prog_info.
type bpfProgInfo struct {
	name, tag    string
	jited        bool
	loadTime     uint64
	createdByUID uint32
	btfID        uint32
}

// bpfProgInfoSize is the size of struct bpf_prog_info asked for (Linux
// 6.1's); a variable, see bpfProgInfoByID.
var bpfProgInfoSize = 232

// bpfProgInfoByID asks the kernel about program id: BPF_PROG_GET_FD_BY_ID
// then BPF_OBJ_GET_INFO_BY_FD. ok is false when either fails (no such
// program, or no privilege), as ip then prints the id alone.
func bpfProgInfoByID(id uint32) (info bpfProgInfo, ok bool) {
	var attr [16]byte // union bpf_attr: prog_id, next_id, open_flags
	*(*uint32)(unsafe.Pointer(&attr[0])) = id
	fd, _, errno := unix.Syscall(unix.SYS_BPF, 13 /* BPF_PROG_GET_FD_BY_ID */, uintptr(unsafe.Pointer(&attr[0])), unsafe.Sizeof(attr))
	if errno != 0 {
		return info, false
	}
	defer unix.Close(int(fd))
	// The kernel writes the info through an address inside the
	// attribute: the buffer must be on the heap, which does not move (a
	// size that is not a constant puts it there).
	buf := make([]byte, bpfProgInfoSize)
	var get [16]byte // bpf_fd, info_len, info
	*(*uint32)(unsafe.Pointer(&get[0])) = uint32(fd)
	*(*uint32)(unsafe.Pointer(&get[4])) = uint32(len(buf))
	*(*uint64)(unsafe.Pointer(&get[8])) = uint64(uintptr(unsafe.Pointer(&buf[0])))
	_, _, errno = unix.Syscall(unix.SYS_BPF, 15 /* BPF_OBJ_GET_INFO_BY_FD */, uintptr(unsafe.Pointer(&get[0])), unsafe.Sizeof(get))
	runtime.KeepAlive(buf)
	if errno != 0 || *(*uint32)(unsafe.Pointer(&get[4])) == 0 {
		return info, false
	}
	name := buf[64:80]
	for i, c := range name {
		if c == 0 {
			name = name[:i]
			break
		}
	}
	info.name = string(name)
	info.tag = hex.EncodeToString(buf[8:16])
	info.jited = binary.NativeEndian.Uint32(buf[16:]) != 0
	info.loadTime = binary.NativeEndian.Uint64(buf[40:])
	info.createdByUID = binary.NativeEndian.Uint32(buf[48:])
	info.btfID = binary.NativeEndian.Uint32(buf[128:])
	return info, true
}

// printBPFProgInfo is bpf_dump_prog_info: the id, and what the kernel
// says of the program (with -d, its load time, creator and BTF id).
func printBPFProgInfo(p *printer, id uint32, details bool) {
	p.openObject("prog")
	p.uint("id", "id %d ", uint64(id))
	if info, ok := bpfProgInfoByID(id); ok {
		p.str("name", "name %s ", info.name)
		p.str("tag", "tag %s ", info.tag)
		if p.json {
			jited := uint64(0)
			if info.jited {
				jited = 1
			}
			p.jsonUint("jited", jited)
		} else if info.jited {
			p.textString("jited ")
		}
		if details {
			if info.loadTime != 0 {
				p.uint("load_time", "load_time %d ", info.loadTime)
				p.uint("created_by_uid", "created_by_uid %d ", uint64(info.createdByUID))
			}
			if info.btfID != 0 {
				p.uint("btf_id", "btf_id %d ", uint64(info.btfID))
			}
		}
	}
	p.closeObject()
}

// printXDP is xdp_dump: in the link's first line (details false) the
// mode, and for "addr show" the program id, or in JSON the "xdp" object;
// after the details (details true, text only) a "prog/xdp" line per
// program. showDetails is -d, which bpf_dump_prog_info reads globally.
func printXDP(p *printer, xdp nla.Attr, link, details, showDetails bool) {
	var tb nla.Index
	tb.Reset(xdp.Nested())
	a, ok := tb.Get(unix.IFLA_XDP_ATTACHED)
	if !ok {
		return
	}
	mode := attrU8(a)
	if mode == xdpAttachedNone {
		return
	}
	if p.json {
		if !details {
			printXDPJSON(p, &tb, mode, showDetails)
		}
		return
	}
	if !(details && link) {
		switch mode {
		case xdpAttachedDrv:
			p.textString("xdp")
		case xdpAttachedSKB:
			p.textString("xdpgeneric")
		case xdpAttachedHW:
			p.textString("xdpoffload")
		case xdpAttachedMulti:
			p.textString("xdpmulti")
		default:
			p.textString("xdp[" + strconv.Itoa(int(mode)) + "]")
		}
	}
	one := func(typ uint16, suffix string) {
		a, ok := tb.Get(typ)
		if !ok {
			return
		}
		id := attrU32(a)
		if !details {
			if id != 0 && !link && typ == unix.IFLA_XDP_PROG_ID {
				p.textString("/id:" + strconv.FormatUint(uint64(id), 10))
			}
			return
		}
		if id != 0 {
			p.nl()
			p.textString("    prog/xdp" + suffix + " ")
			printBPFProgInfo(p, id, showDetails)
		}
	}
	one(unix.IFLA_XDP_PROG_ID, "")
	if mode == xdpAttachedMulti {
		one(unix.IFLA_XDP_SKB_PROG_ID, "generic")
		one(unix.IFLA_XDP_DRV_PROG_ID, "drv")
		one(unix.IFLA_XDP_HW_PROG_ID, "offload")
	}
	if !details || !link {
		p.textString(" ")
	}
}

// printXDPJSON is xdp_dump_json.
func printXDPJSON(p *printer, tb *nla.Index, mode uint8, showDetails bool) {
	p.openObject("xdp")
	p.jsonUint("mode", uint64(mode))
	var progID uint32
	if a, ok := tb.Get(unix.IFLA_XDP_PROG_ID); ok {
		progID = attrU32(a)
	}
	if progID != 0 {
		printBPFProgInfo(p, progID, showDetails)
	}
	p.openArray("attached")
	one := func(typ uint16, m uint8) {
		if a, ok := tb.Get(typ); ok {
			p.openObject("")
			p.jsonUint("mode", uint64(m))
			printBPFProgInfo(p, attrU32(a), showDetails)
			p.closeObject()
		}
	}
	_, skb := tb.Get(unix.IFLA_XDP_SKB_PROG_ID)
	_, drv := tb.Get(unix.IFLA_XDP_DRV_PROG_ID)
	_, hw := tb.Get(unix.IFLA_XDP_HW_PROG_ID)
	if skb || drv || hw {
		one(unix.IFLA_XDP_SKB_PROG_ID, xdpAttachedSKB)
		one(unix.IFLA_XDP_DRV_PROG_ID, xdpAttachedDrv)
		one(unix.IFLA_XDP_HW_PROG_ID, xdpAttachedHW)
	} else {
		one(unix.IFLA_XDP_PROG_ID, mode)
	}
	p.closeArray()
	p.closeObject()
}
