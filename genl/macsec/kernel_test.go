package macsec_test

import (
	"bytes"
	"context"
	"net"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/macsec"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/nstest"
)

// TestKernel adds a transmit SA, a receive channel and a receive SA to a
// MACsec device in a throwaway namespace, changes and deletes them,
// reading each state back with Devices and comparing with `ip -j macsec
// show`. Kernels built without CONFIG_MACSEC skip it by name.
func TestKernel(t *testing.T) {
	nstest.Require(t, "genl:macsec", "link:macsec")
	ns := nstest.New(t)
	nstest.IP(t, ns, "link", "add", "d0", "type", "dummy")
	nstest.IP(t, ns, "link", "add", "link", "d0", "name", "ms0", "type", "macsec", "port", "1", "encrypt", "on")
	var links []struct {
		Ifindex int `json:"ifindex"`
	}
	nstest.IPJSON(t, ns, &links, "link", "show", "ms0")
	if len(links) != 1 {
		t.Fatalf("ip link show ms0: %+v", links)
	}
	ifindex := links[0].Ifindex
	h := genltest.Dial(t, genl.WithNetns(ns.Name))
	ctx := context.Background()
	sci, _ := macsec.MakeSCI(net.HardwareAddr{2, 0, 0, 0, 0, 9}, 7)
	key := bytes.Repeat([]byte{0x81}, 16)
	on := true
	var reqs []genl.Request
	for _, mk := range []func() (genl.Request, error){
		func() (genl.Request, error) {
			return macsec.AddTxSA(ifindex, macsec.SASpec{AN: 0, PN: 100, KeyID: [16]byte{1}, Key: key, Active: &on})
		},
		func() (genl.Request, error) { return macsec.AddRxSC(ifindex, sci, &on) },
		func() (genl.Request, error) {
			return macsec.AddRxSA(ifindex, sci, macsec.SASpec{AN: 2, PN: 5, KeyID: [16]byte{2}, Key: key})
		},
	} {
		r, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	if err := macsec.Do(ctx, h, reqs...); err != nil {
		t.Fatal(err)
	}
	var ip []struct {
		Ifindex int    `json:"ifindex"`
		SCI     string `json:"sci"`
		SAList  []struct {
			AN     int  `json:"an"`
			PN     int  `json:"pn"`
			Active bool `json:"active"`
		} `json:"sa_list"`
		RxSC []struct {
			SCI    string `json:"sci"`
			Active bool   `json:"active"`
			SAList []struct {
				AN int `json:"an"`
				PN int `json:"pn"`
			} `json:"sa_list"`
		} `json:"rx_sc"`
	}
	nstest.IPJSON(t, ns, &ip, "macsec", "show")
	n := 0
	for d, err := range macsec.Devices(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if len(ip) != 1 || int(d.Ifindex()) != ip[0].Ifindex || "0x"+trimZeros(d.SecY().SCI().String()) != ip[0].SCI {
			t.Fatalf("device %d %s; ip: %+v", d.Ifindex(), d.SecY().SCI(), ip)
		}
		for sa := range d.TxSAs() {
			if len(ip[0].SAList) != 1 || sa.AN() != 0 || sa.PN() != 100 || !sa.Active() || int(sa.PN()) != ip[0].SAList[0].PN {
				t.Errorf("TX SA %d PN %d; ip %+v", sa.AN(), sa.PN(), ip[0].SAList)
			}
		}
		for rx := range d.RxSCs() {
			if rx.SCI() != sci || !rx.Active() || len(ip[0].RxSC) != 1 {
				t.Errorf("RX SC %s %v; ip %+v", rx.SCI(), rx.Active(), ip[0].RxSC)
			}
			for sa := range rx.SAs() {
				if sa.AN() != 2 || sa.PN() != 5 || sa.Active() {
					t.Errorf("RX SA %d PN %d active %v", sa.AN(), sa.PN(), sa.Active())
				}
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d devices", n)
	}
	del1, _ := macsec.DeleteRxSA(ifindex, sci, 2)
	del2, _ := macsec.DeleteRxSC(ifindex, sci)
	del3, _ := macsec.DeleteTxSA(ifindex, 0)
	if err := macsec.Do(ctx, h, del1, del2, del3); err != nil {
		t.Fatal(err)
	}
	if err := macsec.Do(ctx, h, del3); err == nil {
		t.Error("deleting a deleted TX SA succeeded")
	}
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
