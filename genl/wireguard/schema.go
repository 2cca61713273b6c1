package wireguard

import (
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
)

// Value is one attribute of a WireGuard message found by name, as
// [DeviceView.Get] returns it.
type Value = schema.Value

// The by-name schemas of the family's messages, written by hand as
// static data (WireGuard has no YNL spec to generate them from), with
// the uapi names in lower case, as pyroute2 names them. An array's
// elements (peers, allowed IPs) are attributes of type 0 in the kernel's
// dumps, each named by its nest ("peers/peer", "allowedips/allowedip").
// ByName lists the types in the byte order of their names (checked by
// TestSchemas).
var (
	allowedIPSchema = &schema.Schema{
		Name: "wgallowedip",
		Attrs: []schema.Attr{
			AllowedIPAFamily:   {Name: "family", Kind: schema.U16},
			AllowedIPAIPAddr:   {Name: "ipaddr", Kind: schema.Addr},
			AllowedIPACidrMask: {Name: "cidr_mask", Kind: schema.U8},
		},
		ByName: []uint16{AllowedIPACidrMask, AllowedIPAFamily, AllowedIPAIPAddr},
	}
	allowedIPsSchema = &schema.Schema{
		Name:   "allowedips",
		Attrs:  []schema.Attr{0: {Name: "allowedip", Kind: schema.Nested, Nested: allowedIPSchema}},
		ByName: []uint16{0},
	}
	peerSchema = &schema.Schema{
		Name: "wgpeer",
		Attrs: []schema.Attr{
			PeerAPublicKey:                   {Name: "public_key", Kind: schema.Binary},
			PeerAPresharedKey:                {Name: "preshared_key", Kind: schema.Binary},
			PeerAFlags:                       {Name: "flags", Kind: schema.U32},
			PeerAEndpoint:                    {Name: "endpoint", Kind: schema.Binary},
			PeerAPersistentKeepaliveInterval: {Name: "persistent_keepalive_interval", Kind: schema.U16},
			PeerALastHandshakeTime:           {Name: "last_handshake_time", Kind: schema.Binary},
			PeerARxBytes:                     {Name: "rx_bytes", Kind: schema.U64},
			PeerATxBytes:                     {Name: "tx_bytes", Kind: schema.U64},
			PeerAAllowedIPs:                  {Name: "allowedips", Kind: schema.Nested, Nested: allowedIPsSchema},
			PeerAProtocolVersion:             {Name: "protocol_version", Kind: schema.U32},
		},
		ByName: []uint16{PeerAAllowedIPs, PeerAEndpoint, PeerAFlags, PeerALastHandshakeTime, PeerAPersistentKeepaliveInterval,
			PeerAPresharedKey, PeerAProtocolVersion, PeerAPublicKey, PeerARxBytes, PeerATxBytes},
	}
	peersSchema = &schema.Schema{
		Name:   "peers",
		Attrs:  []schema.Attr{0: {Name: "peer", Kind: schema.Nested, Nested: peerSchema}},
		ByName: []uint16{0},
	}
	deviceSchema = &schema.Schema{
		Name: "wgdevice",
		Attrs: []schema.Attr{
			DeviceAIfindex:    {Name: "ifindex", Kind: schema.U32},
			DeviceAIfname:     {Name: "ifname", Kind: schema.String},
			DeviceAPrivateKey: {Name: "private_key", Kind: schema.Binary},
			DeviceAPublicKey:  {Name: "public_key", Kind: schema.Binary},
			DeviceAFlags:      {Name: "flags", Kind: schema.U32},
			DeviceAListenPort: {Name: "listen_port", Kind: schema.U16},
			DeviceAFwmark:     {Name: "fwmark", Kind: schema.U32},
			DeviceAPeers:      {Name: "peers", Kind: schema.Nested, Nested: peersSchema},
		},
		ByName: []uint16{DeviceAFlags, DeviceAFwmark, DeviceAIfindex, DeviceAIfname, DeviceAListenPort, DeviceAPeers,
			DeviceAPrivateKey, DeviceAPublicKey},
	}
)

// Get returns the attribute at path, by the uapi's names in lower case
// ("listen_port", "peers/peer/endpoint"; an array element is its first
// one: iterate Attrs or Peers for the others).
func (d DeviceView) Get(path ...string) (Value, bool) {
	return schema.Lookup(deviceSchema, nil, d.attrs, path)
}

// Attrs yields every attribute of the message with its name.
func (d DeviceView) Attrs() iter.Seq2[string, Value] { return schema.All(deviceSchema, d.attrs) }

// Get returns the peer's attribute at path ("rx_bytes",
// "allowedips/allowedip/cidr_mask").
func (p PeerView) Get(path ...string) (Value, bool) {
	return schema.Lookup(peerSchema, nil, p.attrs, path)
}

// Attrs yields every attribute of the peer with its name.
func (p PeerView) Attrs() iter.Seq2[string, Value] { return schema.All(peerSchema, p.attrs) }
