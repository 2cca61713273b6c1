package ethtool

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

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

// withSocket runs fn with an AF_INET datagram socket, the handle of the
// ethtool ioctls, opened in the namespace ns (nil: the calling thread's).
func withSocket(ns *netns.Handle, name string, fn func(fd int) error) error {
	if err := (Device{Name: name}).check(); err != nil {
		return err
	}
	run := func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return fn(fd)
	}
	if ns != nil {
		return netns.Do(ns, run)
	}
	return run()
}

// cstring returns b up to its first NUL.
func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// GetDriverInfo returns the driver information of the device called
// name, in the namespace ns (nil: the calling thread's).
func GetDriverInfo(ns *netns.Handle, name string) (DriverInfo, error) {
	var di DriverInfo
	err := withSocket(ns, name, func(fd int) error {
		d, err := unix.IoctlGetEthtoolDrvinfo(fd, name)
		if err != nil {
			return err
		}
		di = DriverInfo{
			Driver: cstring(d.Driver[:]), Version: cstring(d.Version[:]), FirmwareVersion: cstring(d.Fw_version[:]),
			ExpansionROMVersion: cstring(d.Erom_version[:]), BusInfo: cstring(d.Bus_info[:]),
			PrivFlags: d.N_priv_flags, Stats: d.N_stats, TestInfoLen: d.Testinfo_len,
			EEPROMLen: d.Eedump_len, RegDumpLen: d.Regdump_len,
		}
		return nil
	})
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

// ifreqData is struct ifreq with ifr_data, the argument of SIOCETHTOOL.
type ifreqData struct {
	name [unix.IFNAMSIZ]byte
	data unsafe.Pointer
	_    [unsafe.Sizeof(unix.Ifreq{}) - unix.IFNAMSIZ - unsafe.Sizeof(uintptr(0))]byte
}

// ethtoolIoctl sends the ethtool command in buf (its first u32) about
// the device called name.
func ethtoolIoctl(fd int, name string, buf []byte) error {
	var ifr ifreqData
	copy(ifr.name[:], name)
	ifr.data = unsafe.Pointer(&buf[0])
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr)))
	runtime.KeepAlive(buf)
	if errno != 0 {
		return errno
	}
	return nil
}

// ethGStringLen is ETH_GSTRING_LEN, the size of a string of
// ETHTOOL_GSTRINGS.
const ethGStringLen = 32

// maxDriverStats bounds the counters a driver may report, which size
// the buffers.
const maxDriverStats = 1 << 16

// GetDriverStats returns the driver's own counters of the device called
// name, in the namespace ns (nil: the calling thread's): what `ethtool
// -S` prints. Netlink has none of them (ETHTOOL_MSG_STATS_GET is the
// standard groups, see GetStats): this is the ETHTOOL_GSTRINGS and
// ETHTOOL_GSTATS ioctls, as ethtool 6.1 does.
func GetDriverStats(ns *netns.Handle, name string) ([]Stat, error) {
	var stats []Stat
	err := withSocket(ns, name, func(fd int) error {
		d, err := unix.IoctlGetEthtoolDrvinfo(fd, name)
		if err != nil {
			return err
		}
		n := int(d.N_stats)
		if n == 0 {
			return unix.EOPNOTSUPP // as ethtool says: "no stats available"
		}
		if n > maxDriverStats {
			return fmt.Errorf("%d statistics", n)
		}
		// struct ethtool_gstrings: cmd, string_set, len, then the names.
		strs := make([]byte, 12+n*ethGStringLen)
		binary.NativeEndian.PutUint32(strs[0:], unix.ETHTOOL_GSTRINGS)
		binary.NativeEndian.PutUint32(strs[4:], StringSetStats)
		binary.NativeEndian.PutUint32(strs[8:], uint32(n))
		if err := ethtoolIoctl(fd, name, strs); err != nil {
			return err
		}
		// struct ethtool_stats: cmd, n_stats, then the u64 counters.
		vals := make([]byte, 8+n*8)
		binary.NativeEndian.PutUint32(vals[0:], unix.ETHTOOL_GSTATS)
		binary.NativeEndian.PutUint32(vals[4:], uint32(n))
		if err := ethtoolIoctl(fd, name, vals); err != nil {
			return err
		}
		// The kernel says how many it filled: never more than asked.
		n = min(n, int(binary.NativeEndian.Uint32(strs[8:])), int(binary.NativeEndian.Uint32(vals[4:])))
		stats = make([]Stat, n)
		for i := range stats {
			stats[i] = Stat{
				ID:    uint32(i),
				Name:  cstring(strs[12+i*ethGStringLen : 12+(i+1)*ethGStringLen]),
				Value: binary.NativeEndian.Uint64(vals[8+i*8:]),
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ethtool: driver statistics of %s: %w", name, err)
	}
	return stats, nil
}

// FormatDriverStats formats stats as `ethtool -S` prints them.
func FormatDriverStats(stats []Stat) string {
	var b strings.Builder
	b.WriteString("NIC statistics:\n")
	for _, s := range stats {
		fmt.Fprintf(&b, "     %s: %d\n", s.Name, s.Value)
	}
	return b.String()
}
