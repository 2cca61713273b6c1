package ethtool

import (
	"bytes"
	"fmt"

	"github.com/ipr-go/ipr/netns"
	"golang.org/x/sys/unix"
)

// DriverInfo is what `ethtool -i` prints. The ethtool netlink family has
// no message for it (as of Linux 6.18), so GetDriverInfo uses the
// ETHTOOL_GDRVINFO ioctl, as ethtool 6.1 does.
type DriverInfo struct {
	Driver, Version, FirmwareVersion, ExpansionROMVersion, BusInfo string
	// PrivFlags, Stats, TestInfoLen, EEPROMLen and RegDumpLen are the
	// counts behind `ethtool -i`'s "supports-*" lines.
	PrivFlags, Stats, TestInfoLen, EEPROMLen, RegDumpLen uint32
}

// GetDriverInfo returns the driver information of the device called
// name, in the namespace ns (nil: the calling thread's).
func GetDriverInfo(ns *netns.Handle, name string) (DriverInfo, error) {
	if err := (Device{Name: name}).check(); err != nil {
		return DriverInfo{}, err
	}
	var di DriverInfo
	get := func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		d, err := unix.IoctlGetEthtoolDrvinfo(fd, name)
		if err != nil {
			return err
		}
		str := func(b []byte) string {
			if i := bytes.IndexByte(b, 0); i >= 0 {
				b = b[:i]
			}
			return string(b)
		}
		di = DriverInfo{
			Driver: str(d.Driver[:]), Version: str(d.Version[:]), FirmwareVersion: str(d.Fw_version[:]),
			ExpansionROMVersion: str(d.Erom_version[:]), BusInfo: str(d.Bus_info[:]),
			PrivFlags: d.N_priv_flags, Stats: d.N_stats, TestInfoLen: d.Testinfo_len,
			EEPROMLen: d.Eedump_len, RegDumpLen: d.Regdump_len,
		}
		return nil
	}
	var err error
	if ns != nil {
		err = netns.Do(ns, get)
	} else {
		err = get()
	}
	if err != nil {
		return DriverInfo{}, fmt.Errorf("ethtool: driver info of %s: %w", name, err)
	}
	return di, nil
}

// String formats d as `ethtool -i` prints it.
func (d DriverInfo) String() string {
	yn := func(n uint32) string {
		if n != 0 {
			return "yes"
		}
		return "no"
	}
	return fmt.Sprintf("driver: %s\nversion: %s\nfirmware-version: %s\nexpansion-rom-version: %s\nbus-info: %s\n"+
		"supports-statistics: %s\nsupports-test: %s\nsupports-eeprom-access: %s\nsupports-register-dump: %s\nsupports-priv-flags: %s\n",
		d.Driver, d.Version, d.FirmwareVersion, d.ExpansionROMVersion, d.BusInfo,
		yn(d.Stats), yn(d.TestInfoLen), yn(d.EEPROMLen), yn(d.RegDumpLen), yn(d.PrivFlags))
}
