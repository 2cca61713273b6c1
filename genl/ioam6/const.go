package ioam6

import "errors"

// The IOAM6 family's vocabulary, from include/uapi/linux/ioam6_genl.h.
// IOAM6 has no YNL spec, so these are written by hand.

// FamilyName is the generic-netlink family to resolve (IOAM6_GENL_NAME).
const FamilyName = "IOAM6"

// FamilyVersion is the family's version (IOAM6_GENL_VERSION).
const FamilyVersion = 1

// Commands (IOAM6_CMD_*).
const (
	CmdAddNamespace   = 1 // IOAM6_CMD_ADD_NAMESPACE
	CmdDelNamespace   = 2 // IOAM6_CMD_DEL_NAMESPACE
	CmdDumpNamespaces = 3 // IOAM6_CMD_DUMP_NAMESPACES, a dump of the namespaces
	CmdAddSchema      = 4 // IOAM6_CMD_ADD_SCHEMA
	CmdDelSchema      = 5 // IOAM6_CMD_DEL_SCHEMA
	CmdDumpSchemas    = 6 // IOAM6_CMD_DUMP_SCHEMAS, a dump of the schemas
	CmdNsSetSchema    = 7 // IOAM6_CMD_NS_SET_SCHEMA: attach a schema to a namespace, or detach it
)

// Attributes (IOAM6_ATTR_*).
const (
	AttrNsID       = 1 // IOAM6_ATTR_NS_ID, u16: a namespace's id
	AttrNsData     = 2 // IOAM6_ATTR_NS_DATA, u32: a namespace's data
	AttrNsDataWide = 3 // IOAM6_ATTR_NS_DATA_WIDE, u64: a namespace's wide data
	AttrScID       = 4 // IOAM6_ATTR_SC_ID, u32: a schema's id
	AttrScData     = 5 // IOAM6_ATTR_SC_DATA, binary: a schema's data
	AttrScNone     = 6 // IOAM6_ATTR_SC_NONE, flag: no schema (detach it)
	AttrPad        = 7 // IOAM6_ATTR_PAD, the padding before a u64
)

// SchemaDataMaxLen is the longest schema data the kernel takes
// (IOAM6_MAX_SCHEMA_DATA_LEN): 255 words of four bytes.
const SchemaDataMaxLen = 255 * 4

// ErrInvalid is matched (errors.Is) by the errors of requests with
// arguments the kernel would refuse, caught before anything is sent.
var ErrInvalid = errors.New("invalid argument")
