package netdev

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
)

// Family resolves the netdev family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, NetdevFamilyName)
}

// XDPFeatures are a device's XDP features (NETDEV_XDP_ACT_*).
type XDPFeatures uint64

// xdpFeatureNames are the features' names in the spec, by bit.
var xdpFeatureNames = [...]string{"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg", "ndo-xmit-sg"}

// String lists the features by their names in the kernel's spec
// ("basic redirect rx-sg"), unknown bits in hexadecimal.
func (f XDPFeatures) String() string { return genlview.BitNames(uint64(f), xdpFeatureNames[:]) }

// XDPRxMetadata are the XDP receive metadata a device exposes
// (NETDEV_XDP_RX_METADATA_*).
type XDPRxMetadata uint64

var xdpRxMetadataNames = [...]string{"timestamp", "hash", "vlan-tag"}

// String lists the metadata by their names in the kernel's spec.
func (f XDPRxMetadata) String() string { return genlview.BitNames(uint64(f), xdpRxMetadataNames[:]) }

// XSKFeatures are a device's AF_XDP features (NETDEV_XSK_FLAGS_*).
type XSKFeatures uint64

var xskFeatureNames = [...]string{"tx-timestamp", "tx-checksum"}

// String lists the features by their names in the kernel's spec.
func (f XSKFeatures) String() string { return genlview.BitNames(uint64(f), xskFeatureNames[:]) }

// view is the shared shape of the family's objects: an attribute chain
// read lazily, named by the schema of its attribute set.
type view struct {
	attrs  nla.Chain
	schema *schema.Schema
}

// Chain is the object's attributes, raw.
func (v view) Chain() nla.Chain { return v.attrs }

// Get returns the attribute at path, by the names of the kernel's spec
// ("ifindex", "xdp_features", "napi_id").
func (v view) Get(path ...string) (genl.Value, bool) {
	return schema.Lookup(v.schema, nil, v.attrs, path)
}

// Attrs yields every attribute of the object, by name.
func (v view) Attrs() iter.Seq2[string, genl.Value] { return schema.All(v.schema, v.attrs) }

// parse returns the view V (Device, Queue, NAPI) of m's attributes,
// named by s, or the error of a malformed chain, the object named by
// what.
func parse[V ~struct{ view }](m genl.Message, what string, s *schema.Schema) (V, error) {
	if err := m.Attrs.Err(); err != nil {
		return V{}, fmt.Errorf("netdev: %s: %w", what, err)
	}
	return V{view{m.Attrs, s}}, nil
}

func (v view) uint(typ uint16) (uint64, bool) {
	if a, ok := v.attrs.Get(typ); ok {
		if x, err := a.Uint(); err == nil {
			return x, true
		}
	}
	return 0, false
}

func (v view) u32(typ uint16) uint32 {
	x, _ := v.uint(typ)
	return uint32(x)
}

// Device is a view of one device (NETDEV_CMD_DEV_GET's reply, and the
// DEV_*_NTF notifications). It aliases the message it came from: valid
// until the next iteration.
type Device struct{ view }

// ParseDevice returns the view of m, a reply to NETDEV_CMD_DEV_GET or a
// device notification (m.Command tells which: NetdevCmdDevAddNtf,
// NetdevCmdDevDelNtf, NetdevCmdDevChangeNtf).
func ParseDevice(m genl.Message) (Device, error) {
	d, err := parse[Device](m, "device", devSchema)
	if err != nil {
		return Device{}, err
	}
	if _, ok := d.uint(NetdevADevIfindex); !ok {
		return Device{}, errors.New("netdev: device without an ifindex")
	}
	return d, nil
}

// Index is the device's interface index.
func (d Device) Index() uint32 { return d.u32(NetdevADevIfindex) }

// XDPFeatures are the device's XDP features.
func (d Device) XDPFeatures() XDPFeatures {
	v, _ := d.uint(NetdevADevXDPFeatures)
	return XDPFeatures(v)
}

// XDPZeroCopyMaxSegs is the most fragments the device's AF_XDP zero-copy
// mode takes, when it has one.
func (d Device) XDPZeroCopyMaxSegs() (uint32, bool) {
	v, ok := d.uint(NetdevADevXDPZcMaxSegs)
	return uint32(v), ok
}

// XDPRxMetadata are the receive metadata the device exposes to XDP.
func (d Device) XDPRxMetadata() XDPRxMetadata {
	v, _ := d.uint(NetdevADevXDPRXMetadataFeatures)
	return XDPRxMetadata(v)
}

// XSKFeatures are the device's AF_XDP features.
func (d Device) XSKFeatures() XSKFeatures {
	v, _ := d.uint(NetdevADevXSKFeatures)
	return XSKFeatures(v)
}

// Queue is a view of one queue of a device (NETDEV_CMD_QUEUE_GET's
// reply).
type Queue struct{ view }

// ParseQueue returns the view of m, a reply to NETDEV_CMD_QUEUE_GET.
func ParseQueue(m genl.Message) (Queue, error) {
	return parse[Queue](m, "queue", queueSchema)
}

// ID is the queue's index among the device's queues of its type.
func (q Queue) ID() uint32 { return q.u32(NetdevAQueueID) }

// Type is NetdevQueueTypeRX or NetdevQueueTypeTX.
func (q Queue) Type() uint32 { return q.u32(NetdevAQueueType) }

// Index is the interface index of the queue's device.
func (q Queue) Index() uint32 { return q.u32(NetdevAQueueIfindex) }

// NAPIID is the id of the NAPI instance that services the queue, or 0.
func (q Queue) NAPIID() uint32 { return q.u32(NetdevAQueueNAPIID) }

// NAPI is a view of one NAPI instance (NETDEV_CMD_NAPI_GET's reply).
type NAPI struct{ view }

// ParseNAPI returns the view of m, a reply to NETDEV_CMD_NAPI_GET.
func ParseNAPI(m genl.Message) (NAPI, error) {
	return parse[NAPI](m, "napi", napiSchema)
}

// ID is the instance's id.
func (n NAPI) ID() uint32 { return n.u32(NetdevANAPIID) }

// Index is the interface index of the instance's device.
func (n NAPI) Index() uint32 { return n.u32(NetdevANAPIIfindex) }

// IRQ is the instance's interrupt, when it has one.
func (n NAPI) IRQ() (uint32, bool) {
	v, ok := n.uint(NetdevANAPIIrq)
	return uint32(v), ok
}

// PID is the process id of the instance's thread, in threaded mode.
func (n NAPI) PID() (uint32, bool) {
	v, ok := n.uint(NetdevANAPIPid)
	return uint32(v), ok
}

// byIndex is a request of command cmd with an ifindex attribute of type
// typ when index is not 0.
func byIndex(cmd uint8, typ uint16, index uint32) genl.Request {
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		if index != 0 {
			e.Uint32(typ, index)
		}
	}}
}

// Devices dumps the namespace's devices (NETDEV_CMD_DEV_GET).
func Devices(ctx context.Context, h *genl.Handle) iter.Seq2[Device, error] {
	return genl.DumpFamily(ctx, h, NetdevFamilyName, genl.Request{Command: NetdevCmdDevGet}, ParseDevice)
}

// GetDevice asks for the device of interface index index; the view is
// detached. A device the namespace lacks is an error matching
// unix.ENODEV.
func GetDevice(ctx context.Context, h *genl.Handle, index uint32) (Device, error) {
	if index == 0 {
		return Device{}, errors.New("netdev: get device of interface index 0")
	}
	return genl.QueryFamily(ctx, h, NetdevFamilyName, byIndex(NetdevCmdDevGet, NetdevADevIfindex, index), ParseDevice)
}

// Queues dumps the queues of the device of interface index index, or of
// every device when index is 0 (NETDEV_CMD_QUEUE_GET; Linux 6.8).
func Queues(ctx context.Context, h *genl.Handle, index uint32) iter.Seq2[Queue, error] {
	return genl.DumpFamily(ctx, h, NetdevFamilyName, byIndex(NetdevCmdQueueGet, NetdevAQueueIfindex, index), ParseQueue)
}

// GetQueue asks for queue id of type typ (NetdevQueueTypeRX or TX) of the
// device of interface index index; the view is detached.
func GetQueue(ctx context.Context, h *genl.Handle, index, typ, id uint32) (Queue, error) {
	switch {
	case index == 0:
		return Queue{}, errors.New("netdev: get queue of interface index 0")
	case typ != NetdevQueueTypeRX && typ != NetdevQueueTypeTX:
		return Queue{}, fmt.Errorf("netdev: queue type %d, want rx (0) or tx (1)", typ)
	}
	return genl.QueryFamily(ctx, h, NetdevFamilyName, genl.Request{Command: NetdevCmdQueueGet, Attrs: func(e *nla.Encoder) {
		e.Uint32(NetdevAQueueIfindex, index)
		e.Uint32(NetdevAQueueType, typ)
		e.Uint32(NetdevAQueueID, id)
	}}, ParseQueue)
}

// NAPIs dumps the NAPI instances of the device of interface index index,
// or of every device when index is 0 (NETDEV_CMD_NAPI_GET; Linux 6.8).
func NAPIs(ctx context.Context, h *genl.Handle, index uint32) iter.Seq2[NAPI, error] {
	return genl.DumpFamily(ctx, h, NetdevFamilyName, byIndex(NetdevCmdNAPIGet, NetdevANAPIIfindex, index), ParseNAPI)
}

// GetNAPI asks for the NAPI instance id; the view is detached.
func GetNAPI(ctx context.Context, h *genl.Handle, id uint32) (NAPI, error) {
	if id == 0 {
		return NAPI{}, errors.New("netdev: get NAPI instance 0")
	}
	return genl.QueryFamily(ctx, h, NetdevFamilyName, genl.Request{Command: NetdevCmdNAPIGet, Attrs: func(e *nla.Encoder) {
		e.Uint32(NetdevANAPIID, id)
	}}, ParseNAPI)
}

// Monitor subscribes to the family's "mgmt" group: a notification for
// each device that appears (NetdevCmdDevAddNtf), changes
// (NetdevCmdDevChangeNtf) or disappears (NetdevCmdDevDelNtf), which
// [ParseDevice] reads. [genl.Monitor.Sync] is a barrier in its stream.
func Monitor(ctx context.Context, h *genl.Handle) (*genl.Monitor, error) {
	f, err := Family(ctx, h)
	if err != nil {
		return nil, err
	}
	return h.Monitor(genl.Subscription{Family: f, Group: NetdevMcgrpMgmt})
}
