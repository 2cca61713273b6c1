package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestAppendJSONStringEscapes pins ipr's JSON strings (7e59a19: the
// ASCII escapes shared with internal/schema as AppendJSONASCII): as
// encoding/json writes them without HTML escaping (short escapes for
// \b \f \n \r \t, \u00XX for the other control characters, invalid UTF-8
// as \ufffd), but DEL escaped as iproute2's printer escapes it.
func TestAppendJSONStringEscapes(t *testing.T) {
	var inputs []string
	for c := range 128 {
		inputs = append(inputs, "a"+string(rune(c))+"b", string(rune(c)))
	}
	inputs = append(inputs, "", "plain-name0", "é€😀", "\xff", "a\xc3", "\xe2\x82", "\xf0\x9f\x98x", "<&>", `"q" \ /`, "tab\there\x7f\x00")
	for _, s := range inputs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		w := strings.ReplaceAll(strings.TrimSuffix(want.String(), "\n"), "\x7f", `\u007f`)
		if got := string(appendJSONString(nil, s)); got != w {
			t.Errorf("%q: %s, want %s", s, got, w)
		}
		if got := string(appendJSONBytes([]byte("x"), []byte(s))); got != "x"+w {
			t.Errorf("bytes %q: %s, want x%s", s, got, w)
		}
	}
}
