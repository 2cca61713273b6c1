package nstest

import (
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// LoadBPF loads the smallest BPF program of type progType
// (BPF_PROG_TYPE_*), "return ret", named name (none when empty), through
// the bpf system call, and returns its descriptor, which is closed when t
// ends. A kernel that refuses it (no BPF, or not for this program type)
// skips t.
func LoadBPF(t testing.TB, progType uint32, ret int32, name string) int {
	t.Helper()
	insns := []uint64{
		0xb7 | uint64(uint32(ret))<<32, // r0 = ret: BPF_ALU64|BPF_MOV|BPF_K, imm in the high word
		0x95,                           // exit
	}
	license := []byte("GPL\x00")
	var attr [128]byte // union bpf_attr, BPF_PROG_LOAD's part
	*(*uint32)(unsafe.Pointer(&attr[0])) = progType
	*(*uint32)(unsafe.Pointer(&attr[4])) = uint32(len(insns))
	*(*uint64)(unsafe.Pointer(&attr[8])) = uint64(uintptr(unsafe.Pointer(&insns[0])))
	*(*uint64)(unsafe.Pointer(&attr[16])) = uint64(uintptr(unsafe.Pointer(&license[0])))
	copy(attr[48:64], name) // prog_name
	fd, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(unsafe.Pointer(&attr[0])), unsafe.Sizeof(attr))
	runtime.KeepAlive(insns)
	runtime.KeepAlive(license)
	if errno != 0 {
		t.Skipf("cannot load a BPF program of type %d: bpf(BPF_PROG_LOAD): %v", progType, errno)
	}
	t.Cleanup(func() { unix.Close(int(fd)) })
	return int(fd)
}

// LoadXDPPass loads the smallest XDP program, "return XDP_PASS", named
// name (none when empty), as LoadBPF does: its descriptor is closed when
// t ends, and a kernel that refuses it skips t.
func LoadXDPPass(t testing.TB, name string) int {
	t.Helper()
	return LoadBPF(t, unix.BPF_PROG_TYPE_XDP, 2, name) // 2: XDP_PASS
}
