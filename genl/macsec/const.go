package macsec

import (
	"errors"
	"fmt"
)

// The macsec family's vocabulary, from include/uapi/linux/if_macsec.h and
// the MACSEC_VALIDATE_* and MACSEC_OFFLOAD_* values of linux/if_link.h.
// The family has no YNL spec, so these are written by hand.

// FamilyName is the generic-netlink family to resolve (MACSEC_GENL_NAME).
const FamilyName = "macsec"

// FamilyVersion is the family's version (MACSEC_GENL_VERSION).
const FamilyVersion = 1

// Commands (MACSEC_CMD_*).
const (
	CmdGetTxSC    = 0  // MACSEC_CMD_GET_TXSC, a dump of the devices
	CmdAddRxSC    = 1  // MACSEC_CMD_ADD_RXSC
	CmdDelRxSC    = 2  // MACSEC_CMD_DEL_RXSC
	CmdUpdRxSC    = 3  // MACSEC_CMD_UPD_RXSC
	CmdAddTxSA    = 4  // MACSEC_CMD_ADD_TXSA
	CmdDelTxSA    = 5  // MACSEC_CMD_DEL_TXSA
	CmdUpdTxSA    = 6  // MACSEC_CMD_UPD_TXSA
	CmdAddRxSA    = 7  // MACSEC_CMD_ADD_RXSA
	CmdDelRxSA    = 8  // MACSEC_CMD_DEL_RXSA
	CmdUpdRxSA    = 9  // MACSEC_CMD_UPD_RXSA
	CmdUpdOffload = 10 // MACSEC_CMD_UPD_OFFLOAD
)

// Top-level attributes (MACSEC_ATTR_*).
const (
	AttrIfindex    = 1 // MACSEC_ATTR_IFINDEX, u32: the MACsec device
	AttrRxSCConfig = 2 // MACSEC_ATTR_RXSC_CONFIG, nested RxSCAttr*
	AttrSAConfig   = 3 // MACSEC_ATTR_SA_CONFIG, nested SAAttr*
	AttrSecY       = 4 // MACSEC_ATTR_SECY, nested SecYAttr* (dump)
	AttrTxSAList   = 5 // MACSEC_ATTR_TXSA_LIST, nested, one nest of SAAttr* per SA (dump)
	AttrRxSCList   = 6 // MACSEC_ATTR_RXSC_LIST, nested, one nest of RxSCAttr* per SC (dump)
	AttrTxSCStats  = 7 // MACSEC_ATTR_TXSC_STATS, nested u64s (dump)
	AttrSecYStats  = 8 // MACSEC_ATTR_SECY_STATS, nested u64s (dump)
	AttrOffload    = 9 // MACSEC_ATTR_OFFLOAD, nested OffloadAttr*
)

// SecY attributes (MACSEC_SECY_ATTR_*), in dumps.
const (
	SecYAttrSCI         = 1  // u64, big-endian (an SCI)
	SecYAttrEncodingSA  = 2  // u8
	SecYAttrWindow      = 3  // u32
	SecYAttrCipherSuite = 4  // u64 (a Cipher)
	SecYAttrICVLen      = 5  // u8
	SecYAttrProtect     = 6  // u8 0..1
	SecYAttrReplay      = 7  // u8 0..1
	SecYAttrOper        = 8  // u8 0..1
	SecYAttrValidate    = 9  // u8 (a Validation)
	SecYAttrEncrypt     = 10 // u8 0..1
	SecYAttrIncSCI      = 11 // u8 0..1
	SecYAttrES          = 12 // u8 0..1
	SecYAttrSCB         = 13 // u8 0..1
	SecYAttrPad         = 14 // padding before a u64
)

// Receive secure channel attributes (MACSEC_RXSC_ATTR_*).
const (
	RxSCAttrSCI    = 1 // u64, big-endian (an SCI)
	RxSCAttrActive = 2 // u8 0..1
	RxSCAttrSAList = 3 // nested, one nest of SAAttr* per SA (dump)
	RxSCAttrStats  = 4 // nested u64s (dump)
	RxSCAttrPad    = 5 // padding before a u64
)

// Secure association attributes (MACSEC_SA_ATTR_*).
const (
	SAAttrAN     = 1 // u8 0..3: the association number
	SAAttrActive = 2 // u8 0..1
	SAAttrPN     = 3 // u32, or u64 with an XPN cipher suite
	SAAttrKey    = 4 // binary, in requests only
	SAAttrKeyID  = 5 // 16 bytes
	SAAttrStats  = 6 // nested u32s (dump)
	SAAttrPad    = 7 // padding before a u64
	SAAttrSSCI   = 8 // u32, big-endian; XPN only
	SAAttrSalt   = 9 // 12 bytes, in requests only; XPN only
)

// OffloadAttrType is the offload attribute (MACSEC_OFFLOAD_ATTR_TYPE, u8
// of an Offload) in the AttrOffload nest.
const OffloadAttrType = 1

// Lengths of the family's binary attributes.
const (
	KeyIDLen = 16 // MACSEC_KEYID_LEN
	SaltLen  = 12 // MACSEC_SALT_LEN
)

// Cipher is a MACsec cipher suite id (MACSEC_CIPHER_ID_*).
type Cipher uint64

// The cipher suites of IEEE 802.1AE-2018's table 14-1, numbered from 1
// under its prefix.
const (
	GCMAES128 Cipher = 0x0080C200_01000000 + 1 + iota
	GCMAES256
	GCMAESXPN128
	GCMAESXPN256
)

// CipherDefault is GCM-AES-128 under its deprecated id
// (MACSEC_DEFAULT_CIPHER_ID).
const CipherDefault Cipher = 0x00800200_01000001

// String is ip's name of the suite ("GCM-AES-128"), or "(unknown)" as ip
// prints any other.
func (c Cipher) String() string {
	if c == CipherDefault {
		c = GCMAES128
	}
	if c < GCMAES128 || c > GCMAESXPN256 {
		return "(unknown)"
	}
	return [...]string{"GCM-AES-128", "GCM-AES-256", "GCM-AES-XPN-128", "GCM-AES-XPN-256"}[c-GCMAES128]
}

// IsXPN reports whether c uses extended (64-bit) packet numbers.
func (c Cipher) IsXPN() bool { return c == GCMAESXPN128 || c == GCMAESXPN256 }

// Validation is how a device validates received frames
// (MACSEC_VALIDATE_*).
type Validation uint8

// Offload is where a device's MACsec work is done (MACSEC_OFFLOAD_*).
type Offload uint8

// The validation modes (the kernel's default is ValidateStrict) and the
// offload modes.
const (
	ValidateDisabled Validation = iota
	ValidateCheck
	ValidateStrict

	OffloadOff Offload = iota - 3 // in software
	OffloadPHY                    // in the PHY
	OffloadMAC                    // in the MAC
)

// String is ip's name of the mode ("disabled", "check", "strict").
func (v Validation) String() string { return name(uint8(v), "disabled", "check", "strict") }

// String is ip's name of the mode ("off", "phy", "mac").
func (o Offload) String() string { return name(uint8(o), "off", "phy", "mac") }

// name is names[v], or v in decimal past the end of names.
func name(v uint8, names ...string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprint(v)
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")
