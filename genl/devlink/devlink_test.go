package devlink_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/devlink"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// familyID is the id the fake kernels give devlink, as the shim that
// recorded iproute2's requests did.
const familyID = 0x21

// fakeController resolves "devlink" alone.
var fakeController = nltest.GenlController(map[string]uint16{"devlink": familyID})

// fakeKernel is a devlink with one instance, pci/0000:01:00.0, two ports
// and one u32 parameter, max_macs, that PARAM_SET changes.
type fakeKernel struct {
	mu       sync.Mutex
	maxMacs  uint32
	requests [][]byte // every devlink request, nlmsghdr included
}

const devName = "0000:01:00.0"

func reply(cmd uint8, attrs func(e *nla.Encoder)) []byte {
	var e nla.Encoder
	hdr := e.Reserve(unix.GENL_HDRLEN)
	hdr[0], hdr[1] = cmd, devlink.FamilyVersion
	e.String(devlink.DevlinkAttrBusName, "pci")
	e.String(devlink.DevlinkAttrDevName, devName)
	if attrs != nil {
		attrs(&e)
	}
	return nltest.Message(familyID, e.Bytes())
}

func port(i uint32) []byte {
	return reply(devlink.DevlinkCmdPortGetReply, func(e *nla.Encoder) {
		e.Uint32(devlink.DevlinkAttrPortIndex, i)
		e.Uint16(devlink.DevlinkAttrPortType, devlink.DevlinkPortTypeEth)
		e.Uint16(devlink.DevlinkAttrPortFlavour, devlink.DevlinkPortFlavourPhysical)
		e.Uint32(devlink.DevlinkAttrPortNumber, i+1)
		e.Uint32(devlink.DevlinkAttrPortNetdevIfindex, 10+i)
		e.String(devlink.DevlinkAttrPortNetdevName, fmt.Sprintf("eth%d", i))
		e.Uint8(devlink.DevlinkAttrPortSplittable, 1)
	})
}

func (k *fakeKernel) param() []byte {
	return reply(devlink.DevlinkCmdParamGet+2, func(e *nla.Encoder) { // DEVLINK_CMD_PARAM_NEW
		p := e.BeginNest(devlink.DevlinkAttrParam)
		e.String(devlink.DevlinkAttrParamName, "max_macs")
		e.Flag(devlink.DevlinkAttrParamGeneric)
		e.Uint8(devlink.DevlinkAttrParamType, devlink.ParamTypeU32)
		l := e.BeginNest(devlink.DevlinkAttrParamValuesList)
		v := e.BeginNest(devlink.DevlinkAttrParamValue)
		e.Uint8(devlink.DevlinkAttrParamValueCmode, devlink.DevlinkParamCmodeDriverinit)
		e.Uint32(devlink.DevlinkAttrParamValueData, k.maxMacs)
		e.EndNest(v)
		e.EndNest(l)
		e.EndNest(p)
	})
}

func (k *fakeKernel) handle(req wire.Message) ([][]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	raw := make([]byte, wire.HeaderLen, wire.HeaderLen+len(req.Data))
	wire.PutHeader(raw, req.Header)
	k.requests = append(k.requests, append(raw, req.Data...))
	m, err := genl.Decode(req, 0)
	if err != nil {
		return nil, unix.EINVAL
	}
	dump := req.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP
	if !dump {
		dev := devlink.ViewDevice(m).Handle()
		if dev != (devlink.DeviceHandle{Bus: "pci", Device: devName}) {
			return nil, unix.ENODEV
		}
	}
	switch m.Command {
	case devlink.DevlinkCmdGet:
		return [][]byte{reply(devlink.DevlinkCmdGet+2, func(e *nla.Encoder) { e.Uint8(devlink.DevlinkAttrReloadFailed, 0) })}, nil
	case devlink.DevlinkCmdPortGet:
		if dump {
			return [][]byte{port(0), port(1)}, nil
		}
		a, _ := m.Attrs.Get(devlink.DevlinkAttrPortIndex)
		if i, err := a.Uint32(); err != nil || i > 1 {
			return nil, unix.ENODEV
		} else {
			return [][]byte{port(i)}, nil
		}
	case devlink.DevlinkCmdInfoGet:
		return [][]byte{reply(devlink.DevlinkCmdInfoGet, func(e *nla.Encoder) {
			e.String(devlink.DevlinkAttrInfoDriverName, "fakedrv")
			e.String(devlink.DevlinkAttrInfoSerialNumber, "SN1")
			for _, v := range []struct {
				t           uint16
				name, value string
			}{{devlink.DevlinkAttrInfoVersionFixed, "board.id", "B1"}, {devlink.DevlinkAttrInfoVersionRunning, "fw", "1.2.3"}} {
				n := e.BeginNest(v.t)
				e.String(devlink.DevlinkAttrInfoVersionName, v.name)
				e.String(devlink.DevlinkAttrInfoVersionValue, v.value)
				e.EndNest(n)
			}
		})}, nil
	case devlink.DevlinkCmdParamGet:
		if !dump {
			a, _ := m.Attrs.Get(devlink.DevlinkAttrParamName)
			if s, _ := a.Text(); s != "max_macs" {
				return nil, unix.EINVAL
			}
		}
		return [][]byte{k.param()}, nil
	case devlink.DevlinkCmdParamSet:
		ta, _ := m.Attrs.Get(devlink.DevlinkAttrParamType)
		da, _ := m.Attrs.Get(devlink.DevlinkAttrParamValueData)
		if t, _ := ta.Uint8(); t != devlink.ParamTypeU32 {
			return nil, unix.EINVAL
		}
		v, err := da.Uint32()
		if err != nil {
			return nil, unix.EINVAL
		}
		k.maxMacs = v
		return nil, nil
	}
	return nil, unix.EOPNOTSUPP
}

func fakeHandle(t *testing.T) (*genl.Handle, *fakeKernel) {
	t.Helper()
	k := &fakeKernel{maxMacs: 1}
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, fakeController)
	fake.Handle(familyID, k.handle)
	h := genltest.Dial(t, genl.WithTransport(fake.Dial))
	return h, k
}

var dev0 = devlink.DeviceHandle{Bus: "pci", Device: devName}

// TestFakeRoundTrip runs each operation against the fake kernel and
// reads the replies back through the views.
func TestFakeRoundTrip(t *testing.T) {
	ctx := context.Background()
	h, _ := fakeHandle(t)
	var devs []devlink.DeviceHandle
	for d, err := range devlink.Devices(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, d.Handle())
	}
	if !reflect.DeepEqual(devs, []devlink.DeviceHandle{dev0}) {
		t.Errorf("Devices = %v", devs)
	}
	d, err := devlink.GetDevice(ctx, h, dev0)
	if err != nil || d.Handle() != dev0 || d.ReloadFailed() {
		t.Errorf("GetDevice = %v, %v", d.Handle(), err)
	}
	if v, ok := d.Get("reload_failed"); !ok || v.String() != "0" {
		t.Errorf(`Get("reload_failed") = %v, %v`, v, ok)
	}
	if _, err := devlink.GetDevice(ctx, h, devlink.DeviceHandle{Bus: "pci", Device: "nope"}); !errors.Is(err, unix.ENODEV) {
		t.Errorf("GetDevice(nope): %v; want ENODEV", err)
	}

	var ports []string
	for p, err := range devlink.Ports(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, fmt.Sprintf("%v %s %d %d %d %d %v", p.Handle(), p.NetdevName(), p.NetdevIndex(), p.Number(), p.Type(), p.Flavour(), p.Splittable()))
	}
	want := []string{"pci/0000:01:00.0/0 eth0 10 1 2 0 true", "pci/0000:01:00.0/1 eth1 11 2 2 0 true"}
	if !reflect.DeepEqual(ports, want) {
		t.Errorf("Ports = %q, want %q", ports, want)
	}
	ph, _ := devlink.ParsePortHandle("pci/0000:01:00.0/1")
	p, err := devlink.GetPort(ctx, h, ph)
	if err != nil || p.Handle() != ph {
		t.Errorf("GetPort = %v, %v", p.Handle(), err)
	}
	if v, ok := p.Get("port_netdev_name"); !ok || v.String() != "eth1" {
		t.Errorf(`Get("port_netdev_name") = %v, %v`, v, ok)
	}

	info, err := devlink.GetInfo(ctx, h, dev0)
	if err != nil || info.Driver() != "fakedrv" || info.SerialNumber() != "SN1" {
		t.Fatalf("GetInfo = %q %q, %v", info.Driver(), info.SerialNumber(), err)
	}
	var versions []devlink.Version
	for v := range info.Versions() {
		versions = append(versions, v)
	}
	if len(versions) != 2 || versions[1] != (devlink.Version{Kind: devlink.DevlinkAttrInfoVersionRunning, Name: "fw", Value: "1.2.3"}) {
		t.Errorf("Versions = %+v", versions)
	}

	if err := devlink.SetParam(ctx, h, dev0, "max_macs", devlink.DevlinkParamCmodeDriverinit, devlink.U32(32)); err != nil {
		t.Fatal(err)
	}
	pa, err := devlink.GetParam(ctx, h, dev0, "max_macs")
	if err != nil {
		t.Fatal(err)
	}
	var values []devlink.CmodeValue
	for v := range pa.Values() {
		values = append(values, v)
	}
	if pa.Name() != "max_macs" || !pa.Generic() || pa.Type() != devlink.ParamTypeU32 ||
		!reflect.DeepEqual(values, []devlink.CmodeValue{{Cmode: devlink.DevlinkParamCmodeDriverinit, Value: devlink.U32(32)}}) {
		t.Errorf("GetParam = %s %v %d %+v", pa.Name(), pa.Generic(), pa.Type(), values)
	}
	n := 0
	for p, err := range devlink.Params(ctx, h) {
		if err != nil || p.Name() != "max_macs" {
			t.Fatal(p.Name(), err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("Params: %d", n)
	}
	if err := devlink.SetParam(ctx, h, dev0, "max_macs", devlink.DevlinkParamCmodeDriverinit, devlink.U8(1)); !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetParam of the wrong type: %v; want the kernel's EINVAL", err)
	}
}

// request is a request reduced to what iproute2 and ipr must agree on:
// header length, type and flags, command, attributes without padding.
// The genlmsghdr's version is left out: iproute2 6.1 sends 0 (its
// mnlu_gen_socket_open drops the version it is given), ipr the family's.
// So is NLM_F_ACK on a dump, which devlink(8) sets and ipr's sockets
// clear: the kernel acknowledges no dump that starts.
type request struct {
	Len, Type, Flags uint32
	Cmd              uint8
	Attrs            []string
}

func reduce(t *testing.T, raw []byte) request {
	t.Helper()
	for m, err := range wire.Messages(raw) {
		if err != nil {
			t.Fatal(err)
		}
		g, err := genl.Decode(m, 0)
		if err != nil {
			t.Fatal(err)
		}
		flags := m.Header.Flags
		if flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			flags &^= unix.NLM_F_ACK
		}
		r := request{Len: m.Header.Len, Type: uint32(m.Header.Type), Flags: uint32(flags), Cmd: g.Command}
		for a := range g.Attrs.All() {
			r.Attrs = append(r.Attrs, fmt.Sprintf("%d:%x", a.Type, a.Data))
		}
		if err := g.Attrs.Err(); err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Fatal("no message")
	return request{}
}

// TestIproute2Requests checks that ipr's requests equal those iproute2's
// devlink sends (testdata/iproute2.txt, recorded by
// scripts/devlink_golden.sh).
func TestIproute2Requests(t *testing.T) {
	f, err := os.Open("testdata/iproute2.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recorded := map[string][][]byte{}
	var cmd string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutPrefix(line, "# "); ok {
			cmd = c
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		recorded[cmd] = append(recorded[cmd], b)
	}
	ctx := context.Background()
	ph, _ := devlink.ParsePortHandle("pci/0000:01:00.0/1")
	for _, c := range []struct {
		args string
		run  func(h *genl.Handle)
		last bool // compare with the last request (param set sends a get first)
	}{
		{"dev show", func(h *genl.Handle) { drain(devlink.Devices(ctx, h)) }, false},
		{"dev show pci/0000:01:00.0", func(h *genl.Handle) { devlink.GetDevice(ctx, h, dev0) }, false},
		{"port show", func(h *genl.Handle) { drain(devlink.Ports(ctx, h)) }, false},
		{"port show pci/0000:01:00.0/1", func(h *genl.Handle) { devlink.GetPort(ctx, h, ph) }, false},
		{"dev info", func(h *genl.Handle) { drain(devlink.Infos(ctx, h)) }, false},
		{"dev info pci/0000:01:00.0", func(h *genl.Handle) { devlink.GetInfo(ctx, h, dev0) }, false},
		{"dev param show", func(h *genl.Handle) { drain(devlink.Params(ctx, h)) }, false},
		{"dev param show pci/0000:01:00.0 name max_macs", func(h *genl.Handle) { devlink.GetParam(ctx, h, dev0, "max_macs") }, false},
		{"dev param set pci/0000:01:00.0 name max_macs value 32 cmode driverinit", func(h *genl.Handle) {
			devlink.SetParam(ctx, h, dev0, "max_macs", devlink.DevlinkParamCmodeDriverinit, devlink.U32(32))
		}, true},
	} {
		t.Run(c.args, func(t *testing.T) {
			rec := recorded[c.args]
			if len(rec) == 0 {
				t.Fatalf("no recorded request for %q", c.args)
			}
			want := rec[0]
			if c.last {
				want = rec[len(rec)-1]
			}
			h, k := fakeHandle(t)
			c.run(h)
			if len(k.requests) != 1 {
				t.Fatalf("%d requests sent, want 1", len(k.requests))
			}
			if got, w := reduce(t, k.requests[0]), reduce(t, want); !reflect.DeepEqual(got, w) {
				t.Errorf("request differs from iproute2's:\n ipr      %+v\n iproute2 %+v", got, w)
			}
		})
	}
}

func drain[T any](seq func(func(T, error) bool)) {
	for range seq {
	}
}

// TestBadInput checks that invalid handles, names and values fail
// before anything is sent.
func TestBadInput(t *testing.T) {
	ctx := context.Background()
	h, k := fakeHandle(t)
	for _, s := range []string{"", "pci", "pci/", "/dev", "a/b/c", "pci/0000\x00"} {
		if _, err := devlink.ParseHandle(s); !errors.Is(err, devlink.ErrHandle) {
			t.Errorf("ParseHandle(%q): %v", s, err)
		}
	}
	for _, s := range []string{"pci/dev", "pci/dev/x", "pci/dev/-1", "pci/dev/4294967296", "/1"} {
		if _, err := devlink.ParsePortHandle(s); !errors.Is(err, devlink.ErrHandle) {
			t.Errorf("ParsePortHandle(%q): %v", s, err)
		}
	}
	if p, err := devlink.ParsePortHandle("pci/0000:01:00.0/7"); err != nil || p.String() != "pci/0000:01:00.0/7" {
		t.Errorf("ParsePortHandle = %v, %v", p, err)
	}
	errs := []error{}
	_, err := devlink.GetDevice(ctx, h, devlink.DeviceHandle{})
	errs = append(errs, err)
	_, err = devlink.GetPort(ctx, h, devlink.PortHandle{})
	errs = append(errs, err)
	_, err = devlink.GetParam(ctx, h, dev0, "")
	errs = append(errs, err)
	_, err = devlink.GetParam(ctx, h, dev0, "a\x00b")
	errs = append(errs, err)
	for _, v := range []devlink.ParamValue{{Type: devlink.ParamTypeU8, Uint: 256}, {Type: devlink.ParamTypeU16, Uint: 1 << 16},
		{Type: devlink.ParamTypeU32, Uint: 1 << 32}, {Type: 0}, {Type: 7}, devlink.StringValue("a\x00")} {
		errs = append(errs, devlink.SetParam(ctx, h, dev0, "max_macs", devlink.DevlinkParamCmodeRuntime, v))
	}
	errs = append(errs, devlink.SetParam(ctx, h, dev0, "max_macs", 3, devlink.U32(1)))
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if len(k.requests) != 0 {
		t.Errorf("%d requests sent", len(k.requests))
	}
	for _, v := range []devlink.ParamValue{devlink.U8(255), devlink.U16(1<<16 - 1), devlink.U64(1 << 63), devlink.BoolValue(false), devlink.StringValue("x")} {
		if _, err := devlink.ParamSetRequest(dev0, "p", devlink.DevlinkParamCmodePermanent, v); err != nil {
			t.Errorf("ParamSetRequest(%+v): %v", v, err)
		}
	}
}

// TestKernel dumps the kernel's devlink instances, when it has the
// family (there may be none).
func TestKernel(t *testing.T) {
	h, _ := genltest.DialNS(t, "genl:devlink")
	for d, err := range devlink.Devices(context.Background(), h) {
		if err != nil {
			t.Fatal(err)
		}
		t.Log(d.Handle())
	}
}

// TestFamilyAbsent checks the typed error of a kernel without devlink.
func TestFamilyAbsent(t *testing.T) {
	h, _ := genltest.NoFamilies(t)
	genltest.WantNotFound(t, "Devices", "devlink", genltest.FirstErr(devlink.Devices(context.Background(), h)))
	_, err := devlink.GetDevice(context.Background(), h, dev0)
	genltest.WantNotFound(t, "GetDevice", "devlink", err)
}
