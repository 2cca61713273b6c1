// Package seg6fake is the kernel's SEG6 generic-netlink family for
// tests, with the HMAC keys that this kernel, built without
// CONFIG_IPV6_SEG6_HMAC, refuses: it applies SEG6_CMD_SETHMAC and
// SEG6_CMD_SET_TUNSRC as net/ipv6/seg6.c does (the same checks, the same
// errnos) and answers SEG6_CMD_DUMPHMAC and SEG6_CMD_GET_TUNSRC as it
// does. It decodes requests independently of genl/seg6, whose
// constants it does not share. Test code only.
package seg6fake

import (
	"maps"
	"slices"
	"sync"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Key is an HMAC key of the fake.
type Key struct {
	Algorithm uint8
	Secret    []byte
}

// Kernel is the fake's state.
type Kernel struct {
	mu sync.Mutex
	// noHMAC makes the fake a kernel without CONFIG_IPV6_SEG6_HMAC.
	noHMAC bool

	tunsrc [16]byte
	keys   map[uint32]Key
}

// The fake's family id, and the uapi's numbers (linux/seg6_genl.h),
// written again here rather than taken from genl/seg6, the package the
// fake tests.
const (
	FamilyID = 0x1d // the id the fake's controller gives SEG6

	cmdSetHMAC, cmdDumpHMAC, cmdSetTunSrc, cmdGetTunSrc = 1, 2, 3, 4

	aDst, aHMACKeyID, aSecret, aSecretLen, aAlgID = 1, 3, 4, 5, 6

	secretMax = 64
	// enotsupp is the kernel's ENOTSUPP, its answer to HMAC requests
	// when it is built without HMAC support.
	enotsupp = unix.Errno(524)
)

// New returns a fake SEG6 kernel registered on a new nltest.Fake (with a
// controller that resolves the family), and that Fake, whose Dial is the
// transport to use.
func New() (*Kernel, *nltest.Fake) {
	k := &Kernel{keys: map[uint32]Key{}}
	f := nltest.NewFake()
	f.Handle(unix.GENL_ID_CTRL, nltest.GenlController(map[string]uint16{"SEG6": FamilyID}))
	f.Handle(FamilyID, k.handle)
	return k, f
}

// DropHMAC makes the fake, from now on, a kernel built without
// CONFIG_IPV6_SEG6_HMAC, which refuses every HMAC request.
func (k *Kernel) DropHMAC() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.noHMAC = true
}

// Keys returns a copy of the keys, by id.
func (k *Kernel) Keys() map[uint32]Key {
	k.mu.Lock()
	defer k.mu.Unlock()
	return maps.Clone(k.keys)
}

// handle is the family's operations.
func (k *Kernel) handle(req wire.Message) ([][]byte, error) {
	if len(req.Data) < unix.GENL_HDRLEN {
		return nil, unix.EINVAL
	}
	attrs := map[uint16]nla.Attr{}
	for a := range nla.Chain(req.Data[unix.GENL_HDRLEN:]).All() {
		attrs[a.Kind()] = a
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch cmd := req.Data[0]; {
	case (cmd == cmdSetHMAC || cmd == cmdDumpHMAC) && k.noHMAC:
		return nil, enotsupp
	case cmd == cmdSetHMAC:
		return nil, k.setHMAC(attrs)
	case cmd == cmdDumpHMAC:
		var out [][]byte
		for _, id := range slices.Sorted(maps.Keys(k.keys)) {
			key := k.keys[id]
			out = append(out, reply(cmdDumpHMAC, func(e *nla.Encoder) {
				e.Uint32(aHMACKeyID, id)
				e.Uint8(aSecretLen, uint8(len(key.Secret)))
				e.Binary(aSecret, key.Secret)
				e.Uint8(aAlgID, key.Algorithm)
			}))
		}
		return out, nil
	case cmd == cmdSetTunSrc:
		a, ok := attrs[aDst]
		if !ok || len(a.Data) > 16 {
			return nil, unix.EINVAL
		}
		k.tunsrc = [16]byte{}
		copy(k.tunsrc[:], a.Data)
		return nil, nil
	case cmd == cmdGetTunSrc:
		return [][]byte{reply(cmdGetTunSrc, func(e *nla.Encoder) { e.Binary(aDst, k.tunsrc[:]) })}, nil
	}
	return nil, unix.EOPNOTSUPP
}

// setHMAC is seg6_genl_sethmac.
func (k *Kernel) setHMAC(attrs map[uint16]nla.Attr) error {
	idAttr, ok1 := attrs[aHMACKeyID]
	lenAttr, ok2 := attrs[aSecretLen]
	algAttr, ok3 := attrs[aAlgID]
	if !ok1 || !ok2 || !ok3 {
		return unix.EINVAL
	}
	id, _ := idAttr.Uint32()
	slen, _ := lenAttr.Uint8()
	alg, _ := algAttr.Uint8()
	if id == 0 || slen > secretMax {
		return unix.EINVAL
	}
	if slen == 0 {
		if _, ok := k.keys[id]; !ok {
			return unix.ENOENT
		}
		delete(k.keys, id)
		return nil
	}
	secret, ok := attrs[aSecret]
	if !ok || int(slen) > len(secret.Data) {
		return unix.EINVAL
	}
	k.keys[id] = Key{Algorithm: alg, Secret: slices.Clone(secret.Data[:slen])}
	return nil
}

// reply is a message of the family: command cmd, version 1, attrs.
func reply(cmd uint8, attrs func(*nla.Encoder)) []byte {
	var e nla.Encoder
	hdr := e.Reserve(unix.GENL_HDRLEN)
	hdr[0], hdr[1] = cmd, 1
	attrs(&e)
	return nltest.Message(FamilyID, e.Bytes())
}
