package golden

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// LittleEndianOnly skips t on a big-endian host, saying why: what (the
// iproute2 captures, the kernel captures...) was recorded little-endian,
// so its bytes mean something else there. The spec-built tests cover the
// encoding on such hosts.
func LittleEndianOnly(t testing.TB, what string) {
	t.Helper()
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip(what + " little-endian; this host is big-endian")
	}
}

// KernelCapture reads the kernel reply stream name recorded by
// internal/capture (nltest/testdata/kernel/<name>.bin below root, the
// module's root as seen from the test's package), skipping t on a
// big-endian host, and failing it when the file cannot be read.
func KernelCapture(t testing.TB, root, name string) []byte {
	t.Helper()
	LittleEndianOnly(t, "the kernel captures are")
	b, err := os.ReadFile(filepath.Join(root, "nltest", "testdata", "kernel", name+".bin"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
