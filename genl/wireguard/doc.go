// Package wireguard configures and reads WireGuard devices over generic
// netlink (the "wireguard" family), what wg(8) and wgctrl do, without
// either. WireGuard has no YNL spec: the vocabulary is written by hand
// from include/uapi/linux/wireguard.h, and the encoding follows the
// kernel's drivers/net/wireguard/netlink.c.
//
// [Get] dumps a device and merges the kernel's messages into a [Device]:
// the kernel spreads a long peer list over several messages and may cut
// a peer's allowed IPs in two, continuing them in the next message;
// [Collect] makes such a peer one again. [Messages] streams the views
// ([DeviceView], [PeerView]) instead, without allocating per message or
// peer; besides their typed readers, they name attributes as pyroute2
// does (`view.Get("peers", "peer", "endpoint")`), through schemas
// written by hand as static data.
//
// [Configure] applies a [DeviceConfig] (WG_CMD_SET_DEVICE): the device's
// private key, port, mark, replace-peers, and per peer ([PeerConfig]) its
// public key, preshared key, endpoint, keepalive, allowed IPs and the
// remove, update-only and replace-allowed-IPs flags. A large
// configuration becomes several requests of at most [MaxMessageSize]
// bytes each, sent pipelined, split as wg(8) splits them;
// [ConfigureRequests] returns them without sending. Configurations are
// validated before anything is sent ([*ConfigError]).
//
// [Key] is a WireGuard key with wg(8)'s base64 text form.
//
// The package depends on genl alone: a program that links it carries
// nothing of the other families.
package wireguard
