package main

import "testing"

// TestKeepSection checks that a benchmark run, which rewrites RESULTS.md,
// keeps the section scripts/binsize.sh wrote, wherever it was.
func TestKeepSection(t *testing.T) {
	sec := binsizeHeading + "\n\n| a | b |\n"
	for _, tc := range []struct{ name, old, want string }{
		{"none", "# old\n\n## Results\n", "# new\n"},
		{"last", "# old\n\n## Results\nx\n\n" + sec, "# new\n\n" + sec},
		{"middle", "# old\n\n" + sec + "\n## Targets\ny\n", "# new\n\n" + sec},
	} {
		if got := keepSection("# new\n", tc.old, binsizeHeading); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
