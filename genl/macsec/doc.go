// Package macsec is the kernel's MACsec (IEEE 802.1AE) family over
// generic netlink, macsec: the secure associations (SAs) and receive
// secure channels of a MACsec device (`ip macsec`), which is itself made
// and configured over RTNL (rtm.MACsec, `ip link add ... type macsec`).
//
// [Devices] streams the MACsec devices (MACSEC_CMD_GET_TXSC) as lazy
// views ([Device], with its [SecY], its transmit [SA] and receive [RxSC] lists and
// counters) that allocate nothing per device. [AddTxSA], [UpdateTxSA],
// [DeleteTxSA], [AddRxSC], [UpdateRxSC], [DeleteRxSC], [AddRxSA],
// [UpdateRxSA], [DeleteRxSA] and [SetOffload] build the requests that
// change them, with the layout iproute2's ip sends. Requests are
// validated before anything is sent ([ErrInvalid]: association numbers
// 0..3, keys of 16 or 32 bytes, packet numbers that fit, salts of 12
// bytes); [Do] resolves the family and sends them; the kernel's refusals
// wrap its unix.Errno. A kernel without the family (built without
// CONFIG_MACSEC) is a *genl.FamilyNotFoundError, matched by
// errors.Is(err, genl.ErrFamilyNotFound).
//
// The family has no YNL spec: its vocabulary is written by hand from the
// uapi header linux/if_macsec.h, and the encodings follow
// drivers/net/macsec.c and iproute2's ip/ipmacsec.c.
package macsec
