package wireguard

// The WireGuard family's vocabulary, from include/uapi/linux/wireguard.h
// (Linux 6.12). WireGuard has no YNL spec, so these are written by hand.

// FamilyName is the generic-netlink family to resolve (WG_GENL_NAME).
const FamilyName = "wireguard"

// FamilyVersion is the family's version (WG_GENL_VERSION).
const FamilyVersion = 1

// KeyLen is the length of every WireGuard key: Curve25519 public and
// private keys and the symmetric preshared key (WG_KEY_LEN).
const KeyLen = 32

// Commands (enum wg_cmd).
const (
	CmdGetDevice = 0 // WG_CMD_GET_DEVICE, a dump
	CmdSetDevice = 1 // WG_CMD_SET_DEVICE
)

// Device flags (enum wgdevice_flag), in DeviceAFlags.
const (
	DeviceFReplacePeers = 1 << 0 // WGDEVICE_F_REPLACE_PEERS
)

// Device attributes (enum wgdevice_attribute).
const (
	DeviceAIfindex    = 1 // WGDEVICE_A_IFINDEX, u32
	DeviceAIfname     = 2 // WGDEVICE_A_IFNAME, NUL-terminated string
	DeviceAPrivateKey = 3 // WGDEVICE_A_PRIVATE_KEY, KeyLen bytes
	DeviceAPublicKey  = 4 // WGDEVICE_A_PUBLIC_KEY, KeyLen bytes
	DeviceAFlags      = 5 // WGDEVICE_A_FLAGS, u32 of DeviceF*
	DeviceAListenPort = 6 // WGDEVICE_A_LISTEN_PORT, u16
	DeviceAFwmark     = 7 // WGDEVICE_A_FWMARK, u32
	DeviceAPeers      = 8 // WGDEVICE_A_PEERS, nest of peer nests
)

// Peer flags (enum wgpeer_flag), in PeerAFlags.
const (
	PeerFRemoveMe          = 1 << 0 // WGPEER_F_REMOVE_ME
	PeerFReplaceAllowedIPs = 1 << 1 // WGPEER_F_REPLACE_ALLOWEDIPS
	PeerFUpdateOnly        = 1 << 2 // WGPEER_F_UPDATE_ONLY
)

// Peer attributes (enum wgpeer_attribute).
const (
	PeerAPublicKey                   = 1  // WGPEER_A_PUBLIC_KEY, KeyLen bytes
	PeerAPresharedKey                = 2  // WGPEER_A_PRESHARED_KEY, KeyLen bytes
	PeerAFlags                       = 3  // WGPEER_A_FLAGS, u32 of PeerF*
	PeerAEndpoint                    = 4  // WGPEER_A_ENDPOINT, struct sockaddr_in or sockaddr_in6
	PeerAPersistentKeepaliveInterval = 5  // WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, u16 seconds
	PeerALastHandshakeTime           = 6  // WGPEER_A_LAST_HANDSHAKE_TIME, struct __kernel_timespec
	PeerARxBytes                     = 7  // WGPEER_A_RX_BYTES, u64
	PeerATxBytes                     = 8  // WGPEER_A_TX_BYTES, u64
	PeerAAllowedIPs                  = 9  // WGPEER_A_ALLOWEDIPS, nest of allowed-IP nests
	PeerAProtocolVersion             = 10 // WGPEER_A_PROTOCOL_VERSION, u32 (1)
)

// Allowed-IP attributes (enum wgallowedip_attribute).
const (
	AllowedIPAFamily   = 1 // WGALLOWEDIP_A_FAMILY, u16 AF_INET or AF_INET6
	AllowedIPAIPAddr   = 2 // WGALLOWEDIP_A_IPADDR, 4 or 16 bytes
	AllowedIPACidrMask = 3 // WGALLOWEDIP_A_CIDR_MASK, u8 prefix length
)
