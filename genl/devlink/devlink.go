package devlink

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/genlview"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// Value is one attribute of a devlink message found by name, as
// [Device.Get] returns it.
type Value = schema.Value

// DeviceHandle names a devlink instance by its bus and device names, as
// devlink(8) writes it: "pci/0000:01:00.0".
type DeviceHandle struct {
	Bus, Device string
}

// PortHandle names a port of a devlink instance: "pci/0000:01:00.0/1".
type PortHandle struct {
	DeviceHandle
	Index uint32
}

// ErrHandle is matched (errors.Is) by the error of a malformed handle.
var ErrHandle = errors.New("devlink: invalid handle")

// ParseHandle parses "BUS/DEVICE".
func ParseHandle(s string) (DeviceHandle, error) {
	bus, dev, ok := strings.Cut(s, "/")
	d := DeviceHandle{Bus: bus, Device: dev}
	if !ok || strings.Contains(dev, "/") {
		return DeviceHandle{}, fmt.Errorf("%w: %q is not BUS/DEVICE", ErrHandle, s)
	}
	if err := d.check(); err != nil {
		return DeviceHandle{}, err
	}
	return d, nil
}

// ParsePortHandle parses "BUS/DEVICE/INDEX".
func ParsePortHandle(s string) (PortHandle, error) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return PortHandle{}, fmt.Errorf("%w: %q is not BUS/DEVICE/PORT", ErrHandle, s)
	}
	d, err := ParseHandle(s[:i])
	if err != nil {
		return PortHandle{}, err
	}
	n, err := strconv.ParseUint(s[i+1:], 10, 32)
	if err != nil {
		return PortHandle{}, fmt.Errorf("%w: port index %q in %q", ErrHandle, s[i+1:], s)
	}
	return PortHandle{DeviceHandle: d, Index: uint32(n)}, nil
}

// String returns "BUS/DEVICE".
func (d DeviceHandle) String() string { return d.Bus + "/" + d.Device }

// String returns "BUS/DEVICE/INDEX".
func (p PortHandle) String() string {
	return p.DeviceHandle.String() + "/" + strconv.FormatUint(uint64(p.Index), 10)
}

func (d DeviceHandle) check() error {
	if d.Bus == "" || d.Device == "" {
		return fmt.Errorf("%w: %q needs a bus and a device name", ErrHandle, d.String())
	}
	if strings.IndexByte(d.Bus, 0) >= 0 || strings.IndexByte(d.Device, 0) >= 0 {
		return fmt.Errorf("%w: %q holds a NUL byte", ErrHandle, d.String())
	}
	return nil
}

func (d DeviceHandle) encode(e *nla.Encoder) {
	e.String(DevlinkAttrBusName, d.Bus)
	e.String(DevlinkAttrDevName, d.Device)
}

// request returns a do request of cmd to device d, its other attributes
// appended by more.
func request(cmd uint8, d DeviceHandle, more func(e *nla.Encoder)) (genl.Request, error) {
	if err := d.check(); err != nil {
		return genl.Request{}, err
	}
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		d.encode(e)
		if more != nil {
			more(e)
		}
	}}, nil
}

// dumpRequest returns a dump of cmd. devlink(8) also sets NLM_F_ACK on
// its dumps; ipr's sockets clear it (the kernel acknowledges no dump
// that starts, netlink_rcv_skb skips it).
func dumpRequest(cmd uint8) genl.Request { return genl.Request{Command: cmd} }

// GetRequest returns the DEVLINK_CMD_GET request of device d, for
// [genl.Handle.Do]; DumpRequest dumps every device.
func GetRequest(d DeviceHandle) (genl.Request, error) { return request(DevlinkCmdGet, d, nil) }

// DumpRequest returns the DEVLINK_CMD_GET dump of every device.
func DumpRequest() genl.Request { return dumpRequest(DevlinkCmdGet) }

// PortGetRequest returns the DEVLINK_CMD_PORT_GET request of port p.
func PortGetRequest(p PortHandle) (genl.Request, error) {
	return request(DevlinkCmdPortGet, p.DeviceHandle, func(e *nla.Encoder) { e.Uint32(DevlinkAttrPortIndex, p.Index) })
}

// PortDumpRequest returns the DEVLINK_CMD_PORT_GET dump of every port.
func PortDumpRequest() genl.Request { return dumpRequest(DevlinkCmdPortGet) }

// InfoGetRequest returns the DEVLINK_CMD_INFO_GET request of device d.
func InfoGetRequest(d DeviceHandle) (genl.Request, error) { return request(DevlinkCmdInfoGet, d, nil) }

// InfoDumpRequest returns the DEVLINK_CMD_INFO_GET dump of every device.
func InfoDumpRequest() genl.Request { return dumpRequest(DevlinkCmdInfoGet) }

// ParamGetRequest returns the DEVLINK_CMD_PARAM_GET request of device
// d's parameter name.
func ParamGetRequest(d DeviceHandle, name string) (genl.Request, error) {
	if err := checkParamName(name); err != nil {
		return genl.Request{}, err
	}
	return request(DevlinkCmdParamGet, d, func(e *nla.Encoder) { e.String(DevlinkAttrParamName, name) })
}

// ParamDumpRequest returns the DEVLINK_CMD_PARAM_GET dump of every
// parameter of every device.
func ParamDumpRequest() genl.Request { return dumpRequest(DevlinkCmdParamGet) }

func checkParamName(name string) error {
	if name == "" || strings.IndexByte(name, 0) >= 0 {
		return fmt.Errorf("devlink: invalid parameter name %q", name)
	}
	return nil
}

// ParamValue is a parameter's value: Type says which of the other fields
// holds it.
type ParamValue struct {
	// Type is one of the ParamType* constants.
	Type uint8
	// Uint holds the value of the unsigned types; it must fit the type.
	Uint uint64
	// String holds a ParamTypeString value.
	String string
	// Bool holds a ParamTypeBool value.
	Bool bool
}

// U8, U16, U32, U64, StringValue and BoolValue return a ParamValue of
// their type.
func U8(v uint8) ParamValue { return ParamValue{Type: ParamTypeU8, Uint: uint64(v)} }

// U16 returns a ParamTypeU16 value.
func U16(v uint16) ParamValue { return ParamValue{Type: ParamTypeU16, Uint: uint64(v)} }

// U32 returns a ParamTypeU32 value.
func U32(v uint32) ParamValue { return ParamValue{Type: ParamTypeU32, Uint: uint64(v)} }

// U64 returns a ParamTypeU64 value.
func U64(v uint64) ParamValue { return ParamValue{Type: ParamTypeU64, Uint: v} }

// StringValue returns a ParamTypeString value.
func StringValue(s string) ParamValue { return ParamValue{Type: ParamTypeString, String: s} }

// BoolValue returns a ParamTypeBool value.
func BoolValue(b bool) ParamValue { return ParamValue{Type: ParamTypeBool, Bool: b} }

// uintSize is the size in bytes of an unsigned parameter type's value (1,
// 2, 4 or 8), 0 for the other types.
func uintSize(typ uint8) int {
	if typ < ParamTypeU8 || typ > ParamTypeU64 {
		return 0
	}
	return 1 << (typ - ParamTypeU8)
}

// check refuses a value its type cannot carry.
func (v ParamValue) check() error {
	switch v.Type {
	case ParamTypeU8, ParamTypeU16, ParamTypeU32, ParamTypeU64:
		bits := 8 * uintSize(v.Type)
		if bits < 64 && v.Uint >= 1<<bits {
			return fmt.Errorf("devlink: parameter value %d does not fit its type %d", v.Uint, v.Type)
		}
	case ParamTypeString:
		if strings.IndexByte(v.String, 0) >= 0 {
			return fmt.Errorf("devlink: parameter value %q holds a NUL byte", v.String)
		}
	case ParamTypeBool:
	default:
		return fmt.Errorf("devlink: unknown parameter type %d", v.Type)
	}
	return nil
}

// encode appends the value's DEVLINK_ATTR_PARAM_VALUE_DATA, as devlink(8)
// does: a bool is the attribute's presence.
func (v ParamValue) encode(e *nla.Encoder) {
	switch v.Type {
	case ParamTypeU8:
		e.Uint8(DevlinkAttrParamValueData, uint8(v.Uint))
	case ParamTypeU16:
		e.Uint16(DevlinkAttrParamValueData, uint16(v.Uint))
	case ParamTypeU32:
		e.Uint32(DevlinkAttrParamValueData, uint32(v.Uint))
	case ParamTypeU64:
		e.Uint64(DevlinkAttrParamValueData, v.Uint)
	case ParamTypeString:
		e.String(DevlinkAttrParamValueData, v.String)
	case ParamTypeBool:
		if v.Bool {
			e.Flag(DevlinkAttrParamValueData)
		}
	}
}

// ParamSetRequest returns the DEVLINK_CMD_PARAM_SET request that sets
// device d's parameter name to v in configuration mode cmode (one of
// DevlinkParamCmode*). The kernel needs the parameter's type, which v
// carries: devlink(8) asks for it first (a PARAM_GET), which
// [SetParam] does not need to.
func ParamSetRequest(d DeviceHandle, name string, cmode uint8, v ParamValue) (genl.Request, error) {
	if err := checkParamName(name); err != nil {
		return genl.Request{}, err
	}
	if cmode > DevlinkParamCmodePermanent {
		return genl.Request{}, fmt.Errorf("devlink: unknown configuration mode %d", cmode)
	}
	if err := v.check(); err != nil {
		return genl.Request{}, err
	}
	return request(DevlinkCmdParamSet, d, func(e *nla.Encoder) {
		e.String(DevlinkAttrParamName, name)
		e.Uint8(DevlinkAttrParamValueCmode, cmode)
		e.Uint8(DevlinkAttrParamType, v.Type)
		v.encode(e)
	})
}

// Device is a view of a devlink reply: the instance it is about and its
// attributes by name. It aliases the receive buffer in a dump; Clone
// keeps it. Its readers return zero values for what it lacks.
type Device struct {
	attrs nla.Chain
}

// ViewDevice returns the view of m, a devlink reply of any command.
func ViewDevice(m genl.Message) Device { return Device{m.Attrs} }

// Clone returns a copy of d that owns its bytes.
func (d Device) Clone() Device { return Device{append(nla.Chain(nil), d.attrs...)} }

// Chain returns the message's attributes.
func (d Device) Chain() nla.Chain { return d.attrs }

// Handle returns the instance's bus and device names.
func (d Device) Handle() DeviceHandle {
	return DeviceHandle{Bus: text(d.attrs, DevlinkAttrBusName), Device: text(d.attrs, DevlinkAttrDevName)}
}

// Get returns the attribute at path, by the names of the YNL spec
// ("reload_failed", "dev_stats/reload_stats").
func (d Device) Get(path ...string) (Value, bool) {
	return schema.Lookup(devlinkSchema, nil, d.attrs, path)
}

// Attrs yields every attribute with its name.
func (d Device) Attrs() iter.Seq2[string, Value] { return schema.All(devlinkSchema, d.attrs) }

// ReloadFailed reports whether the instance's last reload failed.
func (d Device) ReloadFailed() bool { return u8(d.attrs, DevlinkAttrReloadFailed) != 0 }

// Port is a view of a DEVLINK_CMD_PORT_GET reply.
type Port struct{ Device }

// Handle returns the port's handle.
func (p Port) Handle() PortHandle {
	return PortHandle{DeviceHandle: p.Device.Handle(), Index: u32(p.attrs, DevlinkAttrPortIndex)}
}

// Type returns the port's type, one of DevlinkPortType*.
func (p Port) Type() uint16 { return u16(p.attrs, DevlinkAttrPortType) }

// Flavour returns the port's flavour, one of DevlinkPortFlavour*.
func (p Port) Flavour() uint16 { return u16(p.attrs, DevlinkAttrPortFlavour) }

// NetdevName returns the name of the port's network device.
func (p Port) NetdevName() string { return text(p.attrs, DevlinkAttrPortNetdevName) }

// NetdevIndex returns the index of the port's network device.
func (p Port) NetdevIndex() uint32 { return u32(p.attrs, DevlinkAttrPortNetdevIfindex) }

// Number returns the port's physical number.
func (p Port) Number() uint32 { return u32(p.attrs, DevlinkAttrPortNumber) }

// Splittable reports whether the port can be split.
func (p Port) Splittable() bool { return u8(p.attrs, DevlinkAttrPortSplittable) != 0 }

// Info is a view of a DEVLINK_CMD_INFO_GET reply.
type Info struct{ Device }

// Driver returns the driver's name.
func (i Info) Driver() string { return text(i.attrs, DevlinkAttrInfoDriverName) }

// SerialNumber returns the device's serial number.
func (i Info) SerialNumber() string { return text(i.attrs, DevlinkAttrInfoSerialNumber) }

// BoardSerialNumber returns the board's serial number.
func (i Info) BoardSerialNumber() string { return text(i.attrs, DevlinkAttrInfoBoardSerialNumber) }

// Version is one version of a device's components.
type Version struct {
	// Kind is DevlinkAttrInfoVersionFixed, Running or Stored.
	Kind uint16
	// Name names the component ("fw.mgmt"), Value is its version.
	Name, Value string
}

// Versions yields the device's versions, fixed, running and stored, in
// the message's order.
func (i Info) Versions() iter.Seq[Version] {
	return func(yield func(Version) bool) {
		for a := range i.attrs.All() {
			switch k := a.Kind(); k {
			case DevlinkAttrInfoVersionFixed, DevlinkAttrInfoVersionRunning, DevlinkAttrInfoVersionStored:
				v := Version{Kind: k, Name: text(a.Nested(), DevlinkAttrInfoVersionName), Value: text(a.Nested(), DevlinkAttrInfoVersionValue)}
				if !yield(v) {
					return
				}
			}
		}
	}
}

// Param is a view of a DEVLINK_CMD_PARAM_GET reply: one parameter.
type Param struct{ Device }

func (p Param) param() nla.Chain {
	a, _ := p.attrs.Get(DevlinkAttrParam)
	return a.Nested()
}

// Name returns the parameter's name.
func (p Param) Name() string { return text(p.param(), DevlinkAttrParamName) }

// Generic reports whether the parameter is one of devlink's generic
// parameters, rather than the driver's.
func (p Param) Generic() bool {
	_, ok := p.param().Get(DevlinkAttrParamGeneric)
	return ok
}

// Type returns the type of the parameter's values, one of ParamType*.
func (p Param) Type() uint8 { return u8(p.param(), DevlinkAttrParamType) }

// CmodeValue is a parameter's value in one configuration mode.
type CmodeValue struct {
	// Cmode is one of DevlinkParamCmode*.
	Cmode uint8
	// Value is the value, decoded by the parameter's type.
	Value ParamValue
}

// Values yields the parameter's value in each configuration mode it
// has; a value that does not decode as the parameter's type has Type 0.
func (p Param) Values() iter.Seq[CmodeValue] {
	return func(yield func(CmodeValue) bool) {
		typ := p.Type()
		list, _ := p.param().Get(DevlinkAttrParamValuesList)
		for a := range list.Nested().All() {
			if a.Kind() != DevlinkAttrParamValue {
				continue
			}
			c := a.Nested()
			cv := CmodeValue{Cmode: u8(c, DevlinkAttrParamValueCmode), Value: decodeValue(typ, c)}
			if !yield(cv) {
				return
			}
		}
	}
}

// decodeValue reads the DEVLINK_ATTR_PARAM_VALUE_DATA of c as type typ.
func decodeValue(typ uint8, c nla.Chain) ParamValue {
	a, ok := c.Get(DevlinkAttrParamValueData)
	v := ParamValue{Type: typ}
	if typ == ParamTypeBool {
		v.Bool = ok
		return v
	}
	if !ok {
		return ParamValue{}
	}
	var err error
	switch n := uintSize(typ); {
	case n != 0 && len(a.Data) == n:
		v.Uint, err = a.Uint()
	case typ == ParamTypeString:
		v.String, err = a.Text()
	default:
		return ParamValue{}
	}
	if err != nil {
		return ParamValue{}
	}
	return v
}

func text(c nla.Chain, t uint16) string { return genlview.Attr(c, t, nla.Attr.Text) }
func u8(c nla.Chain, t uint16) uint8    { return genlview.Attr(c, t, nla.Attr.Uint8) }
func u16(c nla.Chain, t uint16) uint16  { return genlview.Attr(c, t, nla.Attr.Uint16) }
func u32(c nla.Chain, t uint16) uint32  { return genlview.Attr(c, t, nla.Attr.Uint32) }

// ErrNilHandle is the error of an operation given a nil *genl.Handle.
var ErrNilHandle = errors.New("devlink: nil *genl.Handle")

// family resolves the devlink family through h.
func family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	if h == nil {
		return nil, ErrNilHandle
	}
	return h.Family(ctx, DevlinkFamilyName)
}

// dump runs the dump req and yields each reply's view.
func dump[T any](ctx context.Context, h *genl.Handle, req genl.Request, view func(genl.Message) T) iter.Seq2[T, error] {
	if h == nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, ErrNilHandle)
		}
	}
	return genl.DumpFamily(ctx, h, DevlinkFamilyName, req, func(m genl.Message) (T, error) { return view(m), nil })
}

// get sends req (acknowledged, as devlink(8) sends its gets) and returns
// a detached view of the reply.
func get[T any](ctx context.Context, h *genl.Handle, req genl.Request, reqErr error, view func(genl.Message) T) (T, error) {
	var zero, out T
	if reqErr != nil {
		return zero, reqErr
	}
	f, err := family(ctx, h)
	if err != nil {
		return zero, err
	}
	got := false
	err = h.Do(ctx, f, req, func(m genl.Message) error {
		out, got = view(m.Clone()), true
		return nil
	})
	if err != nil {
		return zero, err
	}
	if !got {
		return zero, fmt.Errorf("devlink: no reply to command %d: %w", req.Command, unix.ENODATA)
	}
	return out, nil
}

// Devices dumps every devlink instance (`devlink dev show`).
func Devices(ctx context.Context, h *genl.Handle) iter.Seq2[Device, error] {
	return dump(ctx, h, DumpRequest(), ViewDevice)
}

// GetDevice returns device d (`devlink dev show BUS/DEVICE`).
func GetDevice(ctx context.Context, h *genl.Handle, d DeviceHandle) (Device, error) {
	req, err := GetRequest(d)
	return get(ctx, h, req, err, ViewDevice)
}

// Ports dumps every port of every instance (`devlink port show`).
func Ports(ctx context.Context, h *genl.Handle) iter.Seq2[Port, error] {
	return dump(ctx, h, PortDumpRequest(), viewPort)
}

// GetPort returns port p (`devlink port show BUS/DEVICE/INDEX`).
func GetPort(ctx context.Context, h *genl.Handle, p PortHandle) (Port, error) {
	req, err := PortGetRequest(p)
	return get(ctx, h, req, err, viewPort)
}

// Infos dumps every instance's information (`devlink dev info`).
func Infos(ctx context.Context, h *genl.Handle) iter.Seq2[Info, error] {
	return dump(ctx, h, InfoDumpRequest(), viewInfo)
}

// GetInfo returns device d's information (`devlink dev info BUS/DEVICE`).
func GetInfo(ctx context.Context, h *genl.Handle, d DeviceHandle) (Info, error) {
	req, err := InfoGetRequest(d)
	return get(ctx, h, req, err, viewInfo)
}

// Params dumps every parameter of every instance (`devlink dev param
// show`).
func Params(ctx context.Context, h *genl.Handle) iter.Seq2[Param, error] {
	return dump(ctx, h, ParamDumpRequest(), viewParam)
}

// GetParam returns device d's parameter name.
func GetParam(ctx context.Context, h *genl.Handle, d DeviceHandle, name string) (Param, error) {
	req, err := ParamGetRequest(d, name)
	return get(ctx, h, req, err, viewParam)
}

// SetParam sets device d's parameter name to v in configuration mode
// cmode (`devlink dev param set`).
func SetParam(ctx context.Context, h *genl.Handle, d DeviceHandle, name string, cmode uint8, v ParamValue) error {
	req, err := ParamSetRequest(d, name, cmode, v)
	if err != nil {
		return err
	}
	f, err := family(ctx, h)
	if err != nil {
		return err
	}
	return h.Do(ctx, f, req, nil)
}

func viewPort(m genl.Message) Port   { return Port{ViewDevice(m)} }
func viewInfo(m genl.Message) Info   { return Info{ViewDevice(m)} }
func viewParam(m genl.Message) Param { return Param{ViewDevice(m)} }
