// Package ethtool speaks the ethtool generic-netlink family: what the
// ethtool command reads and sets on a network device (features, rings,
// channels, link modes, private flags, statistics, ...).
//
// # Generated: every message
//
// Every message of the kernel's YNL spec has generated typed code
// (zynl_ethtool_ops.go, from tools/gen/specs/ethtool.yaml): a request
// builder per operation (RingsGetRequest, FeaturesSetRequest, ...) for
// genl.Handle's Do, Query and Dump; a parser of its replies and
// notifications (ParseRingsGetReply, ParseRingsNtf) that checks the
// command; and for every attribute set a lazy view (RingsView: typed
// accessors that find their attribute when called, allocate nothing and
// never panic, plus Get and All by the spec's names) and an encoder
// (RingsEncoder) that refuses values outside the spec's enums and flags
// before anything is sent. [Device.Header] names the device of a request.
//
// # Bitsets and string sets
//
// ethtool carries sets of named bits (features, link modes, private
// flags) as bitsets, compact (u32 arrays of values and mask) or verbose
// (bits by index and name). [Bitset] decodes both and encodes both
// ([Bitset.Encode], [EncodeNamed]); [StringSet] fetches the names of a
// compact bitset's bits.
//
// # Hand-written: what the ethtool command shows
//
// [GetFeatures] (`ethtool -k`), [AllFeatures] (one dump for every
// device), [FeaturesOf] (gets of many devices pipelined in one batch) and
// [SetFeatures] (`ethtool -K`, names checked against the kernel's string
// set before sending); [GetLinkInfo], [GetLinkModes] and [GetLinkState]
// (`ethtool DEV`); [GetRings] (`-g`); [GetChannels] and [SetChannels]
// (`-l`, `-L`); [GetPrivFlags] (`--show-priv-flags`); [GetStats], the
// standard statistics groups.
//
// Two things `ethtool` shows are not in the netlink family (Linux 6.18),
// and ethtool 6.1 reads them with ioctls, as these functions do: driver
// information (`ethtool -i`, [GetDriverInfo]: ETHTOOL_GDRVINFO) and the
// driver's own counters (`ethtool -S`, [GetDriverStats]: ETHTOOL_GSTRINGS
// and ETHTOOL_GSTATS). [GetStats] gives the standard groups, by netlink.
package ethtool
