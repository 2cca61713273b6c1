package ipnet

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// FuzzParseAgreement checks that the fast parsers accept exactly the
// strings that the step-by-step retrace of Python's parser accepts, so
// every rejection carries Python's own message. It is seeded with a sample
// of the strings the oracle corpus puts to Python's constructors;
// TestParseAgreement checks them all.
func FuzzParseAgreement(f *testing.F) {
	for i, s := range oracleStrings(f) {
		if i%16 == 0 {
			f.Add(s)
		}
	}
	f.Fuzz(checkParseAgreement)
}

func TestParseAgreement(t *testing.T) {
	for _, s := range oracleStrings(t) {
		checkParseAgreement(t, s)
	}
}

func checkParseAgreement(t *testing.T, s string) {
	t.Helper()
	_, ok4 := parseAddr4Fast(s)
	if err := addr4Error(s); ok4 != (err == nil) {
		t.Errorf("IPv4 %q: fast parser ok=%v, Python retrace %v", s, ok4, err)
	}
	_, ok6 := parseAddr6Ok(s)
	if err := addr6Error(s); ok6 != (err == nil) {
		t.Errorf("IPv6 %q: fast parser ok=%v, Python retrace %v", s, ok6, err)
	}
	if _, _, ok := parsePrefix4Fast(s); !ok {
		if err := prefix4Error(s); err == nil {
			t.Errorf("IPv4 prefix %q rejected without error", s)
		}
	}
	if _, _, ok := parsePrefix6Fast(s); !ok {
		if err := prefix6Error(s); err == nil {
			t.Errorf("IPv6 prefix %q rejected without error", s)
		}
	}
}

// oracleStrings returns the distinct inputs of the oracle corpus's
// ip_address records (testdata/oracle/address.jsonl.gz).
func oracleStrings(tb testing.TB) []string {
	f, err := os.Open("testdata/oracle/address.jsonl.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Op string `json:"op"`
			In struct {
				S string `json:"s"`
			} `json:"in"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatal(err)
		}
		if rec.Op == "ip_address" && !seen[rec.In.S] {
			seen[rec.In.S] = true
			out = append(out, rec.In.S)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
