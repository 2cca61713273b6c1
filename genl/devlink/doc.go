// Package devlink reads and configures devlink instances over generic
// netlink (the "devlink" family): what `devlink dev show`, `devlink port
// show`, `devlink dev info` and `devlink dev param show|set` do.
//
// The family's constants and by-name schemas are generated from the
// kernel's YNL spec (zynl_devlink.go, tools/gen/specs/devlink.yaml); the
// spec of Linux 6.12 leaves out a parameter's value attributes, which
// const.go adds from include/uapi/linux/devlink.h. The surface is written
// by hand: request constructors ([GetRequest], [PortGetRequest],
// [InfoGetRequest], [ParamGetRequest], [ParamSetRequest] and their dump
// forms), which check their input before anything is sent; views of the
// replies ([Device], [Port], [Info], [Param]), lazy and aliasing the
// receive buffer, with typed readers and access by name
// (`port.Get("port_netdev_name")`); and functions that run them over a
// *genl.Handle ([Devices], [Ports], [GetParam], [SetParam], ...).
//
// A kernel without devlink (CONFIG_NET_DEVLINK off) is a
// *genl.FamilyNotFoundError; an absent device is ENODEV.
package devlink
