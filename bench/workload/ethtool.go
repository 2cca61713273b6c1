package workload

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"os"
	"os/exec"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/ethtool"
	"github.com/ipr-go/ipr/netns"
	mdethtool "github.com/mdlayher/ethtool"
	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
)

// The ethtool workloads: the features of up to 1000 of the namespace's
// veths (what `ethtool -k` shows), and the link info of every device.
// mdlayher/ethtool has no features API: the "genetlink" contestant is
// what a user of its stack writes instead, FEATURES_GET with compact
// bitsets over mdlayher/genetlink, one device at a time.
func init() {
	register("ethtool-features", "ipr", iprFeatures("batch"))
	register("ethtool-features", "ipr-dump", iprFeatures("dump"))
	register("ethtool-features", "ipr-each", iprFeatures("each"))
	register("ethtool-features", "genetlink", genetlinkFeatures)
	register("ethtool-features", "ethtool -k", ethtoolK)
	register("ethtool-linkinfo", "ipr", iprLinkInfo)
	register("ethtool-linkinfo", "mdlayher-ethtool", mdLinkInfo)
}

// FeatureDevices is how many veths the features workload reads.
const FeatureDevices = 1000

// featureDevices returns the names of the veths whose features are read:
// va0, vz0, va1, vz1, ... up to FeatureDevices.
func featureDevices(s Sizes) []string {
	_, pairs := s.fillLinks()
	var out []string
	for i := 0; i < pairs && len(out) < FeatureDevices; i++ {
		out = append(out, fmt.Sprintf("va%d", i))
		if len(out) < FeatureDevices {
			out = append(out, fmt.Sprintf("vz%d", i))
		}
	}
	return out
}

// iprFeatures reads the devices' features with genl/ethtool: pipelined
// in one batch (FeaturesOf), from one dump of every device (AllFeatures,
// counting the veths), or one GetFeatures (string set and features) per
// device.
func iprFeatures(how string) Maker {
	return func(env *Env) (*Instance, error) {
		h, err := genl.Dial(genl.WithNetns(env.NS))
		if err != nil {
			return nil, err
		}
		names := featureDevices(env.Sizes)
		devs := make([]ethtool.Device, len(names))
		want := make(map[string]bool, len(names))
		for i, n := range names {
			devs[i] = ethtool.Device{Name: n}
			want[n] = true
		}
		read := func(s *ethtool.FeatureSet) {
			sink += uint64(s.Active.Count())
			if f, ok := s.Get("rx-gro"); ok && f.Active {
				sink++
			}
		}
		run := func() (Result, error) {
			n := 0
			switch how {
			case "batch":
				sets, _, err := ethtool.FeaturesOf(bg, h, devs)
				if err != nil {
					return Result{}, err
				}
				for _, s := range sets {
					read(s)
					n++
				}
			case "dump":
				for s, err := range ethtool.AllFeatures(bg, h) {
					if err != nil {
						return Result{}, err
					}
					if want[s.Name] {
						read(s)
						n++
					}
				}
			default:
				for _, d := range devs {
					s, err := ethtool.GetFeatures(bg, h, d)
					if err != nil {
						return Result{}, err
					}
					read(s)
					n++
				}
			}
			return Result{Count: n}, nil
		}
		return single("features", run, h.Close), nil
	}
}

// Attribute numbers of linux/ethtool_netlink.h the genetlink contestant
// writes by hand, as its users must.
const (
	ethtoolMsgStrsetGet   = 1
	ethtoolMsgFeaturesGet = 11
	ethtoolAHeader        = 1
	ethtoolAHeaderDevName = 2
	ethtoolAHeaderFlags   = 3
	ethtoolFlagCompact    = 1
	ethtoolAFeaturesHW    = 2
	ethtoolAFeaturesActv  = 4
	ethtoolABitsetValue   = 4
)

// genetlinkFeatures reads the devices' features over mdlayher/genetlink:
// the string set once, then FEATURES_GET per device, decoding the active
// bitset (compact) with netlink.AttributeDecoder.
func genetlinkFeatures(env *Env) (*Instance, error) {
	f, err := os.Open("/run/netns/" + env.NS)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := genetlink.Dial(&netlink.Config{NetNS: int(f.Fd())})
	if err != nil {
		return nil, err
	}
	fam, err := c.GetFamily("ethtool")
	if err != nil {
		c.Close()
		return nil, err
	}
	names := featureDevices(env.Sizes)
	header := func(dev string) []byte {
		ae := netlink.NewAttributeEncoder()
		ae.Nested(ethtoolAHeader, func(nae *netlink.AttributeEncoder) error {
			if dev != "" {
				nae.String(ethtoolAHeaderDevName, dev)
			}
			nae.Uint32(ethtoolAHeaderFlags, ethtoolFlagCompact)
			return nil
		})
		b, _ := ae.Encode()
		return b
	}
	run := func() (Result, error) {
		// The features string set: its strings are only counted here, as
		// the names are what a caller would look features up by.
		msgs, err := c.Execute(genetlink.Message{
			Header: genetlink.Header{Command: ethtoolMsgStrsetGet, Version: fam.Version},
			Data:   stringSetRequest(),
		}, fam.ID, netlink.Request)
		if err != nil {
			return Result{}, fmt.Errorf("string set: %w", err)
		}
		sink += uint64(len(msgs))
		n := 0
		for _, dev := range names {
			msgs, err := c.Execute(genetlink.Message{
				Header: genetlink.Header{Command: ethtoolMsgFeaturesGet, Version: fam.Version},
				Data:   header(dev),
			}, fam.ID, netlink.Request)
			if err != nil {
				return Result{}, fmt.Errorf("%s: %w", dev, err)
			}
			for _, m := range msgs {
				ad, err := netlink.NewAttributeDecoder(m.Data)
				if err != nil {
					return Result{}, err
				}
				for ad.Next() {
					if ad.Type() != ethtoolAFeaturesActv {
						continue
					}
					ad.Nested(func(nad *netlink.AttributeDecoder) error {
						for nad.Next() {
							if nad.Type() == ethtoolABitsetValue {
								b := nad.Bytes()
								for i := 0; i+4 <= len(b); i += 4 {
									sink += uint64(bits.OnesCount32(binary.NativeEndian.Uint32(b[i:])))
								}
							}
						}
						return nil
					})
				}
				if err := ad.Err(); err != nil {
					return Result{}, err
				}
				n++
			}
		}
		return Result{Count: n}, nil
	}
	return single("features", run, c.Close), nil
}

// stringSetRequest is STRSET_GET of the features set (ETH_SS_FEATURES),
// with an empty header.
func stringSetRequest() []byte {
	ae := netlink.NewAttributeEncoder()
	ae.Nested(ethtoolAHeader, func(*netlink.AttributeEncoder) error { return nil })
	ae.Nested(2, func(sets *netlink.AttributeEncoder) error { // ETHTOOL_A_STRSET_STRINGSETS
		sets.Nested(1, func(set *netlink.AttributeEncoder) error { // ETHTOOL_A_STRINGSETS_STRINGSET
			set.Uint32(1, ethtool.StringSetFeatures) // ETHTOOL_A_STRINGSET_ID
			return nil
		})
		return nil
	})
	b, _ := ae.Encode()
	return b
}

// ethtoolK runs `ethtool -k DEV` in the namespace for each device, as a
// script would: a process per device.
func ethtoolK(env *Env) (*Instance, error) {
	names := featureDevices(env.Sizes)
	run := func() (Result, error) {
		n := 0
		for _, dev := range names {
			out, err := exec.Command("ip", "netns", "exec", env.NS, "ethtool", "-k", dev).Output()
			if err != nil {
				return Result{}, fmt.Errorf("ethtool -k %s: %w", dev, err)
			}
			if strings.HasPrefix(string(out), "Features for "+dev+":") {
				n++
			}
		}
		return Result{Count: n}, nil
	}
	return single("features", run, noClose), nil
}

// iprLinkInfo dumps every device's link info with the generated request
// and view of genl/ethtool.
func iprLinkInfo(env *Env) (*Instance, error) {
	h, err := genl.Dial(genl.WithNetns(env.NS))
	if err != nil {
		return nil, err
	}
	f, err := ethtool.Family(bg, h)
	if err != nil {
		h.Close()
		return nil, err
	}
	req := ethtool.LinkinfoGetRequest(func(e ethtool.LinkinfoEncoder) { e.Header(nil) })
	run := func() (Result, error) {
		n := 0
		for m, err := range h.Dump(bg, f, req) {
			if err != nil {
				return Result{}, err
			}
			v, err := ethtool.ParseLinkinfoGetReply(m)
			if err != nil {
				return Result{}, err
			}
			hdr, _ := v.Header()
			idx, _ := hdr.DevIndex()
			port, _ := v.Port()
			sink += uint64(idx) + uint64(port)
			n++
		}
		return Result{Count: n}, nil
	}
	return single("dump", run, h.Close), nil
}

// mdLinkInfo dumps every device's link info with mdlayher/ethtool
// (LinkInfos), its client dialed inside the namespace.
func mdLinkInfo(env *Env) (*Instance, error) {
	ns, err := netns.Open(env.NS)
	if err != nil {
		return nil, err
	}
	defer ns.Close()
	var c *mdethtool.Client
	if err := netns.Do(ns, func() (err error) { c, err = mdethtool.New(); return err }); err != nil {
		return nil, err
	}
	run := func() (Result, error) {
		lis, err := c.LinkInfos()
		if err != nil {
			return Result{}, err
		}
		for _, li := range lis {
			sink += uint64(li.Interface.Index) + uint64(li.Port)
		}
		return Result{Count: len(lis)}, nil
	}
	return single("dump", run, c.Close), nil
}
