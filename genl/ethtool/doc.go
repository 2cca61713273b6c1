// Package ethtool speaks the ethtool generic-netlink family: what the
// ethtool command reads and sets on a network device (features, rings,
// channels, link modes, private flags, statistics, ...).
//
// Every message of the kernel's YNL spec has generated typed code
// (zynl_ethtool_ops.go): a request builder per operation
// (RingsGetRequest, FeaturesSetRequest, ...) for genl.Handle's Do, Query
// and Dump, a parser of its replies and notifications, and for every
// attribute set a lazy, allocation-free view (RingsView, ...) and an
// encoder (RingsEncoder, ...) that refuses values outside the spec
// before anything is sent.
package ethtool
