package ethtool_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"golang.org/x/sys/unix"
)

// getOp is one generated get operation, typed by its encoder and view.
type getOp struct {
	name  string
	req   func(hdr func(ethtool.HeaderEncoder)) genl.Request
	parse func(genl.Message) error
}

func op[E any, V interface{ Err() error }](name string, req func(func(E)) genl.Request, header func(E, func(ethtool.HeaderEncoder)), parse func(genl.Message) (V, error)) getOp {
	return getOp{
		name: name,
		req: func(hdr func(ethtool.HeaderEncoder)) genl.Request {
			return req(func(e E) { header(e, hdr) })
		},
		parse: func(m genl.Message) error {
			v, err := parse(m)
			if err != nil {
				return err
			}
			return v.Err()
		},
	}
}

// getOps are the spec's get operations, but module-eeprom's, which
// needs a page to read.
var getOps = []getOp{
	op("linkinfo", ethtool.LinkinfoGetRequest, ethtool.LinkinfoEncoder.Header, ethtool.ParseLinkinfoGetReply),
	op("linkmodes", ethtool.LinkmodesGetRequest, ethtool.LinkmodesEncoder.Header, ethtool.ParseLinkmodesGetReply),
	op("linkstate", ethtool.LinkstateGetRequest, ethtool.LinkstateEncoder.Header, ethtool.ParseLinkstateGetReply),
	op("debug", ethtool.DebugGetRequest, ethtool.DebugEncoder.Header, ethtool.ParseDebugGetReply),
	op("wol", ethtool.WolGetRequest, ethtool.WolEncoder.Header, ethtool.ParseWolGetReply),
	op("features", ethtool.FeaturesGetRequest, ethtool.FeaturesEncoder.Header, ethtool.ParseFeaturesGetReply),
	op("privflags", ethtool.PrivflagsGetRequest, ethtool.PrivflagsEncoder.Header, ethtool.ParsePrivflagsGetReply),
	op("rings", ethtool.RingsGetRequest, ethtool.RingsEncoder.Header, ethtool.ParseRingsGetReply),
	op("channels", ethtool.ChannelsGetRequest, ethtool.ChannelsEncoder.Header, ethtool.ParseChannelsGetReply),
	op("coalesce", ethtool.CoalesceGetRequest, ethtool.CoalesceEncoder.Header, ethtool.ParseCoalesceGetReply),
	op("pause", ethtool.PauseGetRequest, ethtool.PauseEncoder.Header, ethtool.ParsePauseGetReply),
	op("eee", ethtool.EeeGetRequest, ethtool.EeeEncoder.Header, ethtool.ParseEeeGetReply),
	op("tsinfo", ethtool.TsinfoGetRequest, ethtool.TsinfoEncoder.Header, ethtool.ParseTsinfoGetReply),
	op("tunnel-info", ethtool.TunnelInfoGetRequest, ethtool.TunnelInfoEncoder.Header, ethtool.ParseTunnelInfoGetReply),
	op("fec", ethtool.FecGetRequest, ethtool.FecEncoder.Header, ethtool.ParseFecGetReply),
	// Statistics need groups: the MAC's, by name (a verbose bitset).
	op("stats", ethtool.StatsGetRequest, func(e ethtool.StatsEncoder, hdr func(ethtool.HeaderEncoder)) {
		e.Header(hdr)
		e.Groups(func(b ethtool.BitsetEncoder) { ethtool.EncodeNamed(b, []ethtool.NamedBit{{Name: "eth-mac", On: true}}) })
	}, ethtool.ParseStatsGetReply),
	op("phc-vclocks", ethtool.PhcVclocksGetRequest, ethtool.PhcVclocksEncoder.Header, ethtool.ParsePhcVclocksGetReply),
	op("module", ethtool.ModuleGetRequest, ethtool.ModuleEncoder.Header, ethtool.ParseModuleGetReply),
	op("pse", ethtool.PseGetRequest, ethtool.PseEncoder.Header, ethtool.ParsePseGetReply),
	op("rss", ethtool.RssGetRequest, ethtool.RssEncoder.Header, ethtool.ParseRssGetReply),
	op("plca-get-cfg", ethtool.PlcaGetCfgRequest, ethtool.PlcaEncoder.Header, ethtool.ParsePlcaGetCfgReply),
	op("plca-get-status", ethtool.PlcaGetStatusRequest, ethtool.PlcaEncoder.Header, ethtool.ParsePlcaGetStatusReply),
	op("mm", ethtool.MmGetRequest, ethtool.MmEncoder.Header, ethtool.ParseMmGetReply),
	op("phy", ethtool.PhyGetRequest, ethtool.PhyEncoder.Header, ethtool.ParsePhyGetReply),
}

// unsupported are the errors of a get a device's driver does not
// implement.
func unsupported(err error) bool {
	return errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENODATA)
}

// TestEveryGetOperation sends every generated get request the kernel
// answers with a header alone, as a get of a veth and as a dump, and
// decodes the replies with the generated parsers: the kernel accepts
// every request (a driver may not implement it: EOPNOTSUPP), and the
// operations veth implements answer.
func TestEveryGetOperation(t *testing.T) {
	h, _ := vethNS(t)
	ctx := context.Background()
	f, err := ethtool.Family(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	answered := map[string]bool{}
	for _, o := range getOps {
		got := 0
		err := h.Query(ctx, f, o.req(ethtool.Device{Name: "va"}.Header(0)), func(m genl.Message) error {
			got++
			return o.parse(m)
		})
		switch {
		case err == nil && got == 1:
			answered[o.name] = true
		case unsupported(err):
		default:
			t.Errorf("%s of va: %d replies, %v", o.name, got, err)
		}
		// A dump: every device the driver answers for.
		n := 0
		for m, err := range h.Dump(ctx, f, o.req(nil)) {
			if err != nil {
				if !unsupported(err) {
					t.Errorf("%s dump: %v", o.name, err)
				}
				break
			}
			if err := o.parse(m); err != nil {
				t.Errorf("%s dump: %v", o.name, err)
			}
			n++
		}
		if answered[o.name] && n < 2 {
			t.Errorf("%s dump: %d replies, want va and vb at least", o.name, n)
		}
	}
	for _, name := range []string{"linkinfo", "linkmodes", "linkstate", "features", "channels", "tsinfo", "stats"} {
		if !answered[name] {
			t.Errorf("%s of a veth: no answer", name)
		}
	}
	t.Logf("veth answers %d of %d get operations: %v", len(answered), len(getOps), answered)
}
