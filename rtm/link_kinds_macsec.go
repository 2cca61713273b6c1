package rtm

// MACsec (IEEE 802.1AE) links on a parent device. The encoder writes
// iproute2 6.1's layout: the SCI or port first, the options read as given
// (in the struct's order), then cipher, ICV length, replay window and
// encoding SA, which iproute2 collects and writes last.

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"net"

	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// MACsecCipher is a MACsec cipher suite id (MACSEC_CIPHER_ID_*).
type MACsecCipher uint64

// The MACsec cipher suites (linux/if_macsec.h).
const (
	MACsecGCMAES128    MACsecCipher = 0x0080C20001000001
	MACsecGCMAES256    MACsecCipher = 0x0080C20001000002
	MACsecGCMAESXPN128 MACsecCipher = 0x0080C20001000003
	MACsecGCMAESXPN256 MACsecCipher = 0x0080C20001000004
	// MACsecCipherDefault is the kernel's default suite, GCM-AES-128,
	// under its historical id (MACSEC_DEFAULT_CIPHER_ID), which iproute2
	// sends for "cipher default".
	MACsecCipherDefault MACsecCipher = 0x0080020001000001
)

// String returns iproute2's name of the suite ("GCM-AES-128"), or the id
// in hex.
func (c MACsecCipher) String() string {
	switch c {
	case MACsecGCMAES128, MACsecCipherDefault:
		return "GCM-AES-128"
	case MACsecGCMAES256:
		return "GCM-AES-256"
	case MACsecGCMAESXPN128:
		return "GCM-AES-XPN-128"
	case MACsecGCMAESXPN256:
		return "GCM-AES-XPN-256"
	}
	return fmt.Sprintf("%#x", uint64(c))
}

// ParseMACsecCipher returns the suite of an iproute2 cipher name:
// "default", "gcm-aes-128", "gcm-aes-256", "gcm-aes-xpn-128" or
// "gcm-aes-xpn-256" (or the upper-case forms).
func ParseMACsecCipher(name string) (MACsecCipher, error) {
	switch name {
	case "default":
		return MACsecCipherDefault, nil
	case "gcm-aes-128", "GCM-AES-128":
		return MACsecGCMAES128, nil
	case "gcm-aes-256", "GCM-AES-256":
		return MACsecGCMAES256, nil
	case "gcm-aes-xpn-128", "GCM-AES-XPN-128":
		return MACsecGCMAESXPN128, nil
	case "gcm-aes-xpn-256", "GCM-AES-XPN-256":
		return MACsecGCMAESXPN256, nil
	}
	return 0, fmt.Errorf("unknown MACsec cipher %q: default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 or gcm-aes-xpn-256", name)
}

// MACsecValidation is how received frames are validated
// (MACSEC_VALIDATE_*).
type MACsecValidation uint8

// The MACsec validation modes.
const (
	MACsecValidateDisabled MACsecValidation = 0
	MACsecValidateCheck    MACsecValidation = 1
	MACsecValidateStrict   MACsecValidation = 2 // the kernel's default
)

// MACsecOffload is where MACsec is offloaded (MACSEC_OFFLOAD_*).
type MACsecOffload uint8

// The MACsec offload modes.
const (
	MACsecOffloadOff MACsecOffload = 0
	MACsecOffloadPHY MACsecOffload = 1
	MACsecOffloadMAC MACsecOffload = 2
)

// The ICV lengths the kernel accepts (MACSEC_MIN_ICV_LEN,
// MACSEC_STD_ICV_LEN).
const (
	macsecMinICVLen = 8
	macsecStdICVLen = 16
)

// MACsecSCI returns the secure channel identifier of a MAC address and a
// port, as iproute2 makes it from "address ADDR port PORT": the address's
// 6 bytes then the port, big-endian.
func MACsecSCI(addr net.HardwareAddr, port uint16) (uint64, error) {
	if len(addr) != 6 {
		return 0, fmt.Errorf("MACsec SCI needs a 6-byte MAC address, not %d bytes", len(addr))
	}
	var b [8]byte
	copy(b[:], addr)
	binary.BigEndian.PutUint16(b[6:], port)
	return binary.BigEndian.Uint64(b[:]), nil
}

// MACsec is a MACsec device on a parent (LinkSpec.Parent): "macsec".
// Unset options leave the kernel's defaults.
type MACsec struct {
	// SCI is the transmit secure channel identifier (IFLA_MACSEC_SCI);
	// see MACsecSCI. Port (IFLA_MACSEC_PORT) instead combines the
	// parent's address with the port; at most one of them is given.
	SCI  Opt[uint64]
	Port uint16
	// Encrypt encrypts frames, not only authenticates them.
	Encrypt Opt[bool]
	// IncludeSCI sends the SCI in every frame (iproute2's send_sci).
	IncludeSCI Opt[bool]
	// EndStation and SCB set the ES and SCB bits; neither goes with
	// IncludeSCI, nor with each other.
	EndStation, SCB Opt[bool]
	// Protect authenticates frames; off sends them in clear.
	Protect Opt[bool]
	// Validation is how received frames are validated.
	Validation Opt[MACsecValidation]
	// Offload selects hardware offload.
	Offload Opt[MACsecOffload]
	// Cipher is the cipher suite; 0 leaves the kernel's (GCM-AES-128).
	Cipher MACsecCipher
	// ICVLen is the integrity check value's length, 8 to 16 bytes; 0
	// leaves the default (16).
	ICVLen uint8
	// ReplayProtect turns replay protection on or off; when on, Window
	// is required. Window is only sent with ReplayProtect.
	ReplayProtect Opt[bool]
	Window        Opt[uint32]
	// EncodingSA is the association number used to transmit, 0 to 3.
	EncodingSA Opt[uint8]
}

// Kind returns "macsec".
func (*MACsec) Kind() string { return "macsec" }

func (m *MACsec) validate(c *linkCtx) error {
	if m.SCI.IsSet() && m.Port != 0 {
		return errors.New("MACsec: give the SCI or the port, not both")
	}
	switch m.Cipher {
	case 0, MACsecCipherDefault, MACsecGCMAES128, MACsecGCMAES256, MACsecGCMAESXPN128, MACsecGCMAESXPN256:
	default:
		return fmt.Errorf("MACsec: unknown cipher suite %v", m.Cipher)
	}
	if m.ICVLen != 0 && (m.ICVLen < macsecMinICVLen || m.ICVLen > macsecStdICVLen) {
		return fmt.Errorf("MACsec: ICV length %d is outside %d..%d", m.ICVLen, macsecMinICVLen, macsecStdICVLen)
	}
	sci, es, scb := m.IncludeSCI.Or(false), m.EndStation.Or(false), m.SCB.Or(false)
	if (sci && (es || scb)) || (es && scb) {
		return errors.New("MACsec: IncludeSCI, EndStation and SCB exclude one another")
	}
	replay, replaySet := m.ReplayProtect.Get()
	if m.Window.IsSet() && !replaySet {
		return errors.New("MACsec: a replay window needs ReplayProtect set")
	}
	if replay && !m.Window.IsSet() {
		return errors.New("MACsec: replay protection needs a window")
	}
	return cmp.Or(
		checkMax(m.Validation, MACsecValidateStrict, "MACsec: invalid validation mode %d"),
		checkMax(m.Offload, MACsecOffloadMAC, "MACsec: invalid offload mode %d"),
		checkMax(m.EncodingSA, 3, "MACsec: encoding SA %d is outside 0..3"),
	)
}

func (m *MACsec) encodeData(c *linkCtx) {
	b := c.b
	putOpt(b.Uint64BE, unix.IFLA_MACSEC_SCI, m.SCI)
	putU16BE(b, unix.IFLA_MACSEC_PORT, m.Port)
	for _, f := range [...]struct {
		o   Opt[bool]
		typ uint16
	}{{m.Encrypt, unix.IFLA_MACSEC_ENCRYPT}, {m.IncludeSCI, unix.IFLA_MACSEC_INC_SCI},
		{m.EndStation, unix.IFLA_MACSEC_ES}, {m.SCB, unix.IFLA_MACSEC_SCB}, {m.Protect, unix.IFLA_MACSEC_PROTECT}} {
		if on, ok := f.o.Get(); ok {
			b.Uint8(f.typ, boolByte(on))
		}
	}
	if v, ok := m.Validation.Get(); ok {
		b.Uint8(unix.IFLA_MACSEC_VALIDATION, uint8(v))
	}
	if v, ok := m.Offload.Get(); ok {
		b.Uint8(unix.IFLA_MACSEC_OFFLOAD, uint8(v))
	}
	if m.Cipher != 0 {
		b.Uint64(unix.IFLA_MACSEC_CIPHER_SUITE, uint64(m.Cipher))
	}
	putU8(b, unix.IFLA_MACSEC_ICV_LEN, m.ICVLen)
	if on, ok := m.ReplayProtect.Get(); ok {
		if w, ok := m.Window.Get(); ok {
			b.Uint32(unix.IFLA_MACSEC_WINDOW, w)
		}
		b.Uint8(unix.IFLA_MACSEC_REPLAY_PROTECT, boolByte(on))
	}
	putOpt(b.Uint8, unix.IFLA_MACSEC_ENCODING_SA, m.EncodingSA)
}

// LinkMACsec reads a MACsec link's settings back from its IFLA_INFO_DATA
// (Link.KindData): every attribute present is set in the result, as the
// kernel reports them. It fails on a malformed attribute.
func LinkMACsec(data nla.Chain) (MACsec, error) {
	var m MACsec
	for a := range data.All() {
		var err error
		switch a.Kind() {
		case unix.IFLA_MACSEC_SCI:
			m.SCI, err = kindOpt(a.Uint64BE())
		case unix.IFLA_MACSEC_PORT:
			m.Port, err = a.Uint16BE()
		case unix.IFLA_MACSEC_ICV_LEN:
			m.ICVLen, err = a.Uint8()
		case unix.IFLA_MACSEC_CIPHER_SUITE:
			var v uint64
			v, err = a.Uint64()
			m.Cipher = MACsecCipher(v)
		case unix.IFLA_MACSEC_WINDOW:
			m.Window, err = kindOpt(a.Uint32())
		case unix.IFLA_MACSEC_ENCODING_SA:
			m.EncodingSA, err = kindOpt(a.Uint8())
		case unix.IFLA_MACSEC_ENCRYPT:
			m.Encrypt, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_PROTECT:
			m.Protect, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_INC_SCI:
			m.IncludeSCI, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_ES:
			m.EndStation, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_SCB:
			m.SCB, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_REPLAY_PROTECT:
			m.ReplayProtect, err = kindBoolOpt(a)
		case unix.IFLA_MACSEC_VALIDATION:
			var v uint8
			v, err = a.Uint8()
			m.Validation = Some(MACsecValidation(v))
		case unix.IFLA_MACSEC_OFFLOAD:
			var v uint8
			v, err = a.Uint8()
			m.Offload = Some(MACsecOffload(v))
		}
		if err != nil {
			return m, fmt.Errorf("macsec data: attribute %d: %w", a.Kind(), err)
		}
	}
	return m, data.Err()
}

// kindOpt makes an Opt of an attribute's value, unset on error.
func kindOpt[T any](v T, err error) (Opt[T], error) {
	if err != nil {
		return Opt[T]{}, err
	}
	return Some(v), nil
}

// kindBoolOpt reads an 8-bit boolean attribute.
func kindBoolOpt(a nla.Attr) (Opt[bool], error) {
	v, err := a.Uint8()
	if err != nil {
		return Opt[bool]{}, err
	}
	return Some(v != 0), nil
}
