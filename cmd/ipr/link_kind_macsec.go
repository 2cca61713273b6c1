package main

// The parser of the macsec kind, as iproute2 6.1's ipmacsec.c reads its
// arguments. (This kernel has no macsec; ip prints its data, ipr does not
// yet.)

import (
	"net"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/rtm"
)

// The names of macsec's validate (MACSEC_VALIDATE_*) and offload
// (MACSEC_OFFLOAD_*) settings, which ip reads and prints.
var (
	macsecValidateNames = [...]string{"disabled", "check", "strict"}
	macsecOffloadNames  = [...]string{"off", "phy", "mac"}
)

// parseMACsec parses "type macsec [address LLADDR] port PORT | sci SCI
// ..." into s.
func parseMACsec(kp *kindArgs, s *rtm.LinkSpec) error {
	m := &rtm.MACsec{}
	s.Kind = m
	var addr net.HardwareAddr
	oneOf := func(o any, names ...string) func() error {
		return func() error {
			v, err := kp.value(kp.word)
			if err != nil {
				return err
			}
			for i, n := range names {
				if n == v {
					switch o := o.(type) {
					case *rtm.Opt[rtm.MACsecValidation]:
						*o = rtm.Some(rtm.MACsecValidation(i))
					case *rtm.Opt[rtm.MACsecOffload]:
						*o = rtm.Some(rtm.MACsecOffload(i))
					}
					return nil
				}
			}
			return notOneOf(kp.word, v, exitFailure, names...)
		}
	}
	err := kp.parse(map[string]func() error{
		"sci": func() error {
			v, err := kp.value("sci")
			if err != nil {
				return err
			}
			sci, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 64)
			if err != nil {
				return invarg("expected sci", v)
			}
			m.SCI = rtm.Some(sci)
			return nil
		},
		"port": func() error {
			if err := kp.plainU16(&m.Port)(); err != nil {
				return err
			}
			if m.Port == 0 {
				return invarg("expected port != 0", "0")
			}
			return nil
		},
		"address": func() error {
			v, err := kp.value("address")
			if err == nil {
				if addr, err = net.ParseMAC(v); err != nil || len(addr) != 6 {
					return invarg("expected lladdr", v)
				}
			}
			return err
		},
		"cipher": func() error {
			v, err := kp.value("cipher")
			if err == nil {
				if m.Cipher, err = rtm.ParseMACsecCipher(v); err != nil {
					return invarg("expected: default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 or gcm-aes-xpn-256", v)
				}
			}
			return err
		},
		"icvlen": func() error {
			v, err := kp.number(8)
			m.ICVLen = uint8(v)
			return err
		},
		"encrypt":     kp.onOff(&m.Encrypt),
		"send_sci":    kp.onOff(&m.IncludeSCI),
		"end_station": kp.onOff(&m.EndStation),
		"scb":         kp.onOff(&m.SCB),
		"protect":     kp.onOff(&m.Protect),
		"replay":      kp.onOff(&m.ReplayProtect),
		"window":      kp.u32(&m.Window),
		"validate":    oneOf(&m.Validation, macsecValidateNames[:]...),
		"encodingsa":  kp.u8(&m.EncodingSA),
		"offload":     oneOf(&m.Offload, macsecOffloadNames[:]...),
	})
	if err != nil {
		return err
	}
	if addr != nil {
		// iproute2 makes the SCI of an address and a port.
		if m.Port == 0 {
			return usagef("type macsec: address needs a port")
		}
		sci, err := rtm.MACsecSCI(addr, m.Port)
		if err != nil {
			return err
		}
		m.SCI, m.Port = rtm.Some(sci), 0
	}
	return nil
}
