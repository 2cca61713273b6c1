// Package golden reads the requests that iproute2's tools sent, as
// scripts/golden.sh and scripts/golden_tc.sh capture them (the scripts
// document the format), for the tests that build the same requests with
// ipr and compare them byte for byte.
package golden

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Case is one captured request.
type Case struct {
	// File is the base name of the capture file; Name names the case in
	// it.
	File, Name string
	// Cmd is the command line, without the tool's name.
	Cmd string
	// Links are the indexes of the capturing namespace's interfaces, by
	// name, for the requests that refer to them.
	Links map[string]int32
	// Req is the request as sent, netlink header included.
	Req []byte
}

// Key names the case among the cases of every file: "flower/vlan" for
// case vlan of flower.txt.
func (c Case) Key() string { return strings.TrimSuffix(c.File, ".txt") + "/" + c.Name }

// Read reads every case in the files pattern matches. A line it does not
// know, or none to read, fails t: a capture the tests would skip in
// silence is a capture that tests nothing.
func Read(t testing.TB, pattern string) []Case {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var cases []Case
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			key, val, _ := strings.Cut(line, " ")
			if key == "case" {
				cases = append(cases, Case{File: filepath.Base(f), Name: val, Links: map[string]int32{}})
				continue
			}
			if len(cases) == 0 {
				t.Fatalf("%s: %q before any case", f, line)
			}
			c := &cases[len(cases)-1]
			switch key {
			case "setup":
			case "links":
				for _, kv := range strings.Fields(val) {
					name, idx, _ := strings.Cut(kv, "=")
					n, err := strconv.Atoi(idx)
					if err != nil {
						t.Fatalf("%s: case %s: links %q", f, c.Name, kv)
					}
					c.Links[name] = int32(n)
				}
			case "cmd":
				c.Cmd = val
			case "req":
				if c.Req, err = hex.DecodeString(val); err != nil {
					t.Fatalf("%s: case %s: %v", f, c.Name, err)
				}
			default:
				t.Fatalf("%s: unknown line %q", f, line)
			}
		}
	}
	return cases
}

// Match runs check as a subtest of t for each case, with the spec that
// specs holds under the case's key, and fails t on what breaks the one to
// one of captures and specs: a key captured twice, a case without a spec,
// or a spec without a case (script captures it).
func Match[S any](t *testing.T, cases []Case, key func(Case) string, specs map[string]S, script string, check func(t *testing.T, c Case, spec S)) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cases {
		k := key(c)
		if seen[k] {
			t.Fatalf("duplicate golden case %s", k)
		}
		seen[k] = true
		t.Run(k, func(t *testing.T) {
			spec, ok := specs[k]
			if !ok {
				t.Fatalf("%s: no spec for captured command: %s", c.File, c.Cmd)
			}
			check(t, c, spec)
		})
	}
	for k := range specs {
		if !seen[k] {
			t.Errorf("spec %s has no golden capture; run %s", k, script)
		}
	}
}

// ClearNested returns a copy of msg with NLA_F_NESTED cleared in the
// attributes at its top level, which start at off (after the message's
// fixed headers): ipr sets the flag on every nest, as the kernel's strict
// validation wants, where iproute2's tools often leave it out for
// families whose kernel side takes either.
func ClearNested(msg []byte, off int) []byte {
	msg = bytes.Clone(msg)
	for off+4 <= len(msg) {
		l := int(binary.NativeEndian.Uint16(msg[off:]))
		binary.NativeEndian.PutUint16(msg[off+2:], binary.NativeEndian.Uint16(msg[off+2:])&^0x8000)
		if l < 4 {
			break
		}
		off += (l + 3) &^ 3
	}
	return msg
}
