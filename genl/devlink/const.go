package devlink

// Attributes of a parameter's values that the YNL spec of Linux 6.12
// leaves out ("TODO: fill in the attribute param-value-list"), from
// include/uapi/linux/devlink.h.
const (
	DevlinkAttrParamValuesList = 84 // DEVLINK_ATTR_PARAM_VALUES_LIST: nest of DevlinkAttrParamValue
	DevlinkAttrParamValue      = 85 // DEVLINK_ATTR_PARAM_VALUE: nest of cmode and data
	DevlinkAttrParamValueData  = 86 // DEVLINK_ATTR_PARAM_VALUE_DATA: typed by DevlinkAttrParamType
)

// Parameter types (DEVLINK_ATTR_PARAM_TYPE): the kernel's netlink
// attribute types (NLA_U8, ...) of the value's data.
const (
	ParamTypeU8     = 1 // NLA_U8
	ParamTypeU16    = 2 // NLA_U16
	ParamTypeU32    = 3 // NLA_U32
	ParamTypeU64    = 4 // NLA_U64
	ParamTypeString = 5 // NLA_STRING
	ParamTypeBool   = 6 // NLA_FLAG: present for true, absent for false
)

// FamilyVersion is the family's version (DEVLINK_GENL_VERSION).
const FamilyVersion = 1
