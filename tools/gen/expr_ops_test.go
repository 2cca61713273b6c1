package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestHeaderEvalOperators pins each binary operator of #define
// expressions and the operands each refuses (9256aab: exprOps), with C's
// precedence: an outcome is the value or the error's text. A
// modulo is Euclidean (big.Int.Mod): never negative.
func TestHeaderEvalOperators(t *testing.T) {
	h := &headers{values: map[string]int64{"N": 5}}
	cases := [][2]string{
		{"6 | 9", "15"}, {"6 ^ 3", "5"}, {"6 & 3", "2"}, {"2 + 3 * 4", "14"}, {"10 - N - 1", "4"},
		{"-7 / 2", "-3"}, {"-7 % 3", "2"}, {"7 % -3", "1"}, {"N % 3", "2"}, {"1 << 62", "4611686018427387904"},
		{"(1 << 128) >> 127", "2"}, {"1 >> 9223372036854775807", "0"}, {"0x100 >> 4 >> 2", "4"},
		{"1 | 2 ^ 3 & 4 << 1 + 1", "3"}, {"((1 << 64) - 1) >> 1", "9223372036854775807"},
		{"1 / 0", "division by zero"}, {"1 % (N - 5)", "division by zero"}, {"1 << 129", "bad shift"},
		{"1 << -1", "bad shift"}, {"8 >> -2", "bad shift"}, {"1 >> (1 << 64)", "bad shift"},
		{"1 << 63", "out of range"}, {"(1 << 128) * 2", "out of range"},
	}
	for _, c := range cases {
		got, err := h.eval(c[0])
		out := fmt.Sprint(got)
		if err != nil {
			out = strings.TrimPrefix(err.Error(), fmt.Sprintf("cannot evaluate %q: ", c[0]))
		}
		if out != c[1] {
			t.Errorf("eval(%q) = %s, want %s", c[0], out, c[1])
		}
	}
}
