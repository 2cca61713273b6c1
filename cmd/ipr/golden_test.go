package main

import (
	"bufio"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
)

// goldenCapture is one request iproute2 sent, from a file of rtm's golden
// captures (scripts/golden.sh and golden_route.sh document the format).
type goldenCapture struct {
	name, cmd string
	links     map[string]int32
	req       []byte
}

// readGoldenFile reads every capture of a golden file.
func readGoldenFile(t *testing.T, path string) []goldenCapture {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []goldenCapture
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		if key == "case" {
			cases = append(cases, goldenCapture{name: val, links: map[string]int32{}})
			continue
		}
		if len(cases) == 0 {
			continue
		}
		c := &cases[len(cases)-1]
		switch key {
		case "links":
			for _, kv := range strings.Fields(val) {
				k, v, _ := strings.Cut(kv, "=")
				i, _ := strconv.Atoi(v)
				c.links[k] = int32(i)
			}
		case "cmd":
			c.cmd = val
		case "req":
			if c.req, err = hex.DecodeString(val); err != nil {
				t.Fatalf("%s: case %s: %v", path, c.name, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}
