package main

// The binary files of ip's save commands, one implementation for every
// object that has them ("ip address save/showdump/restore" here, "ip
// route save/showdump/restore" in route.go, "ip rule save/restore" and
// "ip mrule save/restore" in mrule.go): a 32-bit magic word in the
// host's byte order, then the kernel's dump messages as ip received
// them, netlink headers included. ip refuses to write one to a terminal
// or read one from it, and restores by sending each message back.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/ipr-go/ipr/rtm"
	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// savedDump is one kind of saved file, with ip's wording and exit
// statuses for it, which differ from object to object.
type savedDump struct {
	magic uint32
	// what names the file in "Can't restore %s dump from a terminal".
	what string
	// badInput is the exit status of a terminal or a wrong magic on
	// standard input: 255 where ip calls exit(-1), 1 where it returns -1.
	badInput int
	// failed is the exit status of a malformed file and of a restore
	// the kernel refuses.
	failed int
}

// The kinds of saved files, with the magic words of ipaddress.c,
// iproute.c and iprule.c.
var (
	addrDump  = savedDump{magic: 0x47361222, what: "address", badInput: exitUsage, failed: exitUsage}
	routeDump = savedDump{magic: rtm.RouteDumpMagic, what: "route", badInput: exitFailure, failed: exitKernel}
	ruleDump  = savedDump{magic: 0x71706986, what: "rule", badInput: exitUsage, failed: exitUsage}
)

// maxSavedMessage is the size of rtnl_from_file's buffer: a longer saved
// message is malformed.
const maxSavedMessage = 16384

// create starts a saved file on standard output, as ip's save_*_prep: it
// refuses a terminal and writes the magic word.
func (d *savedDump) create(e *env) error {
	if isTerminal(e.Stdout) {
		return failf("Not sending a binary stream to stdout")
	}
	var magic [4]byte
	binary.NativeEndian.PutUint32(magic[:], d.magic)
	if _, err := e.Stdout.Write(magic[:]); err != nil {
		return failf("Can't write magic to dump file")
	}
	return nil
}

// saveDump writes each message of the dump req asks for to the file
// create started, as ip's save_nlmsg. The kernel's refusal is returned
// as it is, for the caller to word as ip does.
func saveDump(e *env, req []byte) error {
	c, err := rawConn(e)
	if err != nil {
		return err
	}
	defer c.Close()
	var b []byte
	for m, err := range c.Dump(e.ctx, req) {
		if err != nil {
			return err
		}
		b = append(b[:0], make([]byte, wire.HeaderLen)...)
		wire.PutHeader(b, m.Header)
		if _, err := e.Stdout.Write(append(b, m.Data...)); err != nil {
			return failf("Short write while saving nlmsg")
		}
	}
	return nil
}

// open checks standard input as ip's *_dump_check_magic does: not a
// terminal, and starting with the magic word.
func (d *savedDump) open(e *env) (*bufio.Reader, error) {
	if isTerminal(e.Stdin) {
		return nil, &cliError{code: d.badInput, msg: fmt.Sprintf("Can't restore %s dump from a terminal", d.what)}
	}
	r := bufio.NewReader(e.Stdin)
	var magic [4]byte // zero where the file is shorter, as ip's word
	n, _ := io.ReadFull(r, magic[:])
	if m := binary.NativeEndian.Uint32(magic[:]); n < len(magic) || m != d.magic {
		return nil, &cliError{code: d.badInput, msg: fmt.Sprintf("Magic mismatch (%d elems, %x magic)", n/len(magic), m)}
	}
	return r, nil
}

// messages reads the messages of an opened file, each whole (header
// included, padding not), as rtnl_from_file reads them; a malformed or
// truncated message ends them in an error worded as ip's. Each message
// is valid until the next: they share one buffer, as ip's.
func (d *savedDump) messages(r *bufio.Reader) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		truncated := &cliError{code: d.failed, msg: "rtnl-from_file: truncated message"}
		buf := make([]byte, maxSavedMessage)
		off := 4 // the magic word
		for {
			n, err := io.ReadFull(r, buf[:wire.HeaderLen])
			switch {
			case n == 0 && err == io.EOF:
				return
			case err != nil:
				yield(nil, truncated)
				return
			}
			off += n
			size := binary.NativeEndian.Uint32(buf)
			if size < wire.HeaderLen || size > maxSavedMessage {
				yield(nil, &cliError{code: d.failed, msg: fmt.Sprintf("!!!malformed message: len=%d @%d", int32(size), off)})
				return
			}
			m := buf[:wire.Align(int(size))]
			if _, err := io.ReadFull(r, m[wire.HeaderLen:]); err != nil {
				yield(nil, truncated)
				return
			}
			off += len(m) - wire.HeaderLen
			if !yield(m[:size], nil) {
				return
			}
		}
	}
}

// rawConn opens the socket a save dumps on and a restore sends the
// saved messages on: they see whole messages, headers included.
func rawConn(e *env) (socket.Transport, error) {
	c, err := dialRaw(&socket.Config{Netns: e.ns, ExtAck: true, StrictCheck: true})
	if err != nil {
		return nil, dialError(e.Netns, err)
	}
	return c, nil
}

// restore sends one saved message back to the kernel as ip's
// restore_handler does: its header's flags plus NLM_F_CREATE, and the
// request and ack flags. Like ip it reports every refusal, and goes on
// after an object that exists already.
func (d *savedDump) restore(e *env, c socket.Transport, m []byte) error {
	binary.NativeEndian.PutUint16(m[6:], binary.NativeEndian.Uint16(m[6:])|unix.NLM_F_CREATE)
	err := c.Execute(e.ctx, m, nil)
	if err == nil {
		return nil
	}
	var ke *wire.Error
	if !errors.As(err, &ke) {
		return err
	}
	fmt.Fprintln(e.Stderr, kernelMessage(ke.Message, ke.Errno))
	if ke.Errno == unix.EEXIST {
		return nil
	}
	return errExit(d.failed)
}

// restoreAll restores each message of standard input in turn, stopping
// at the first failure, as ip's rtnl_from_file with a restore_handler.
func (d *savedDump) restoreAll(e *env) error {
	r, err := d.open(e)
	if err != nil {
		return err
	}
	c, err := rawConn(e)
	if err != nil {
		return err
	}
	defer c.Close()
	for m, err := range d.messages(r) {
		if err != nil {
			return err
		}
		if err := d.restore(e, c, m); err != nil {
			return err
		}
	}
	return nil
}

// addrSave is "addr save": the addresses of one device, or of all, as
// the kernel dumps them. Like ip, it parses the selectors of "addr show"
// but selects by device alone, and by -family.
func addrSave(e *env, a *args) error {
	f, h, err := parseShow(e, a, e.Family, true)
	if err != nil {
		return err
	}
	// ip looks the master up as it parses, and fails on a missing one.
	if _, err := newLinkNames(e.ctx, h, &f); err != nil {
		return err
	}
	var index int32
	if f.dev != "" {
		l, err := h.LinkByName(e.ctx, f.dev)
		if err != nil {
			return errNoShowDevice(f.dev)
		}
		index = l.Index()
	}
	if err := addrDump.create(e); err != nil {
		return err
	}
	// iproute2's rtnl_addrdump_req with ipaddr_dump_filter: the family
	// of -f and the device's index.
	var ifa [unix.SizeofIfAddrmsg]byte
	ifa[0] = e.Family
	binary.NativeEndian.PutUint32(ifa[4:], uint32(index))
	err = saveDump(e, dumpRequest(unix.RTM_GETADDR, ifa[:]))
	var ke *wire.Error
	if errors.As(err, &ke) {
		return failf("%s\nSave terminated", kernelMessage(ke.Message, ke.Errno))
	}
	return err
}

// addrShowDump is "addr showdump": a saved file's addresses, each after
// the index of its device, as ip's show_handler prints them. A broken
// file ends the listing where it breaks, as in ip.
func addrShowDump(e *env, _ *args) error {
	r, err := addrDump.open(e)
	if err != nil {
		return err
	}
	p := e.newPrinter()
	p.openArray("")
	p.openObject("")
	p.openArray("addr_info")
	var broken error
	for m, err := range addrDump.messages(r) {
		if err != nil {
			broken = err
			break
		}
		// show_handler prints the index of every message; then
		// print_addrinfo prints addresses only.
		var index int32
		if len(m) >= wire.HeaderLen+unix.SizeofIfAddrmsg {
			index = int32(binary.NativeEndian.Uint32(m[wire.HeaderLen+4:]))
		}
		p.openObject("")
		p.int("index", "if%d:", int64(index))
		p.nl()
		switch typ := binary.NativeEndian.Uint16(m[4:]); {
		case typ != unix.RTM_NEWADDR && typ != unix.RTM_DELADDR:
		case len(m) < wire.HeaderLen+unix.SizeofIfAddrmsg:
			fmt.Fprintf(e.Stderr, "BUG: wrong nlmsg len %d\n", len(m)-wire.HeaderLen-unix.SizeofIfAddrmsg)
		case typ == unix.RTM_NEWADDR:
			ad, err := rtm.AddrFromBytes(m[wire.HeaderLen:])
			switch {
			case err != nil:
			case e.Brief:
				printAddrBrief(p, ad)
			default:
				printAddr(p, ad)
			}
		}
		p.closeObject()
		p.flush()
	}
	p.closeArray()
	p.closeObject()
	if err := e.endList(p); err != nil {
		return err
	}
	return broken
}
