package ipnet

import (
	"testing"
)

// FuzzParseAgreement checks that the fast parsers accept exactly the
// strings that the step-by-step retrace of Python's parser accepts, so
// every rejection carries Python's own message.
func FuzzParseAgreement(f *testing.F) {
	for _, v := range pythonVectors {
		f.Add(v.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
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
	})
}
