package ila

import "errors"

// The ila family's vocabulary, from include/uapi/linux/ila.h.

// FamilyName is the generic-netlink family to resolve (ILA_GENL_NAME).
const FamilyName = "ila"

// FamilyVersion is the family's version (ILA_GENL_VERSION).
const FamilyVersion = 1

// Commands (ILA_CMD_*).
const (
	CmdAdd   = 1 // ILA_CMD_ADD: add a mapping
	CmdDel   = 2 // ILA_CMD_DEL: remove one
	CmdGet   = 3 // ILA_CMD_GET: one mapping, or a dump of them all
	CmdFlush = 4 // ILA_CMD_FLUSH: remove them all
)

// Attributes (ILA_ATTR_*).
const (
	AttrLocator      = 1 // ILA_ATTR_LOCATOR, u64 in network byte order: the locator written
	AttrIdentifier   = 2 // ILA_ATTR_IDENTIFIER, u64
	AttrLocatorMatch = 3 // ILA_ATTR_LOCATOR_MATCH, u64 in network byte order: the locator matched
	AttrIfindex      = 4 // ILA_ATTR_IFINDEX, s32: the device the mapping is for (0 for any)
	AttrDir          = 5 // ILA_ATTR_DIR, u32: ILA_DIR_* bits
	AttrPad          = 6 // ILA_ATTR_PAD
	AttrCsumMode     = 7 // ILA_ATTR_CSUM_MODE, u8 of a CsumMode
	AttrIdentType    = 8 // ILA_ATTR_IDENT_TYPE, u8 of an IdentType
	AttrHookType     = 9 // ILA_ATTR_HOOK_TYPE, u8
)

// CsumMode is how a mapping keeps transport checksums right when it
// rewrites a locator (ILA_CSUM_*).
type CsumMode uint8

// The checksum modes.
const (
	CsumAdjustTransport CsumMode = 0 // ILA_CSUM_ADJUST_TRANSPORT: fix the transport checksum
	CsumNeutralMap      CsumMode = 1 // ILA_CSUM_NEUTRAL_MAP: a checksum-neutral mapping
	CsumNoAction        CsumMode = 2 // ILA_CSUM_NO_ACTION: leave checksums as they are
	CsumNeutralMapAuto  CsumMode = 3 // ILA_CSUM_NEUTRAL_MAP_AUTO: checksum-neutral, set by the kernel
)

// csumModeNames are iproute2's names of the modes (ila_common.h).
var csumModeNames = [...]string{"adj-transport", "neutral-map", "no-action", "neutral-map-auto"}

// String is the mode's name as iproute2 writes it ("adj-transport",
// "neutral-map", "no-action", "neutral-map-auto"), or "unknown".
func (m CsumMode) String() string {
	if int(m) < len(csumModeNames) {
		return csumModeNames[m]
	}
	return "unknown"
}

// ParseCsumMode is the mode named s, as String names it.
func ParseCsumMode(s string) (CsumMode, bool) {
	for i, n := range csumModeNames {
		if n == s {
			return CsumMode(i), true
		}
	}
	return 0, false
}

// IdentType is the type of the identifier in the addresses a mapping
// applies to (ILA_ATYPE_*).
type IdentType uint8

// The identifier types.
const (
	IdentIID          IdentType = 0  // ILA_ATYPE_IID
	IdentLUID         IdentType = 1  // ILA_ATYPE_LUID: a locally unique identifier
	IdentVirtV4       IdentType = 2  // ILA_ATYPE_VIRT_V4
	IdentVirtUniV6    IdentType = 3  // ILA_ATYPE_VIRT_UNI_V6
	IdentVirtMultiV6  IdentType = 4  // ILA_ATYPE_VIRT_MULTI_V6
	IdentNonlocalAddr IdentType = 5  // ILA_ATYPE_NONLOCAL_ADDR
	IdentUseFormat    IdentType = 32 // ILA_ATYPE_USE_FORMAT: the type field of the identifier says
)

// String is the type's name as iproute2 writes it ("iid", "luid",
// "virt-v4", "virt-uni-v6", "virt-multi-v6", "nonlocal-addr",
// "use-format"), or "unknown".
func (t IdentType) String() string {
	switch t {
	case IdentIID:
		return "iid"
	case IdentLUID:
		return "luid"
	case IdentVirtV4:
		return "virt-v4"
	case IdentVirtUniV6:
		return "virt-uni-v6"
	case IdentVirtMultiV6:
		return "virt-multi-v6"
	case IdentNonlocalAddr:
		return "nonlocal-addr"
	case IdentUseFormat:
		return "use-format"
	}
	return "unknown"
}

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")
