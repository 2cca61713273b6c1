package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The output goldens (testdata/linkprint, testdata/tcprint,
// testdata/statsprint.txt) hold what iproute2 printed under the fakertnl
// shim (scripts/lib/fakertnl.sh): one section per option set, a line
// "=== OPTS exit CODE bytes N", the N bytes written to standard output,
// then a newline.

// outputGolden is one section: what the tool printed with one option set.
type outputGolden struct {
	opts   string
	code   int
	stdout string
}

// readOutputGoldens reads every section of a golden file.
func readOutputGoldens(path string) ([]outputGolden, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []outputGolden
	for len(b) > 0 {
		line, rest, ok := bytes.Cut(b, []byte("\n"))
		if !ok || !bytes.HasPrefix(line, []byte("=== ")) {
			return nil, fmt.Errorf("%s: bad section %q", path, line)
		}
		// OPTS may hold anything, so the numbers are found from the end.
		head := string(line[4:])
		i := strings.LastIndex(head, " exit ")
		var code, n int
		if i < 0 {
			return nil, fmt.Errorf("%s: bad section %q", path, line)
		}
		if _, err := fmt.Sscanf(head[i:], " exit %d bytes %d", &code, &n); err != nil || n < 0 || n+1 > len(rest) {
			return nil, fmt.Errorf("%s: bad section %q", path, line)
		}
		out = append(out, outputGolden{opts: head[:i], code: code, stdout: string(rest[:n])})
		b = rest[n+1:]
	}
	return out, nil
}

// appendOutputGolden appends a section to b: stdout, what the tool
// printed with opts, exiting with code.
func appendOutputGolden(b []byte, opts string, code int, stdout []byte) []byte {
	b = fmt.Appendf(b, "=== %s exit %d bytes %d\n", opts, code, len(stdout))
	b = append(b, stdout...)
	return append(b, '\n')
}

// matchOutputGoldens runs ipr with the options of each golden of the file
// at path followed by cmd, compares its exit code and output with what
// tool printed, byte for byte, and returns the goldens. A case still
// pending (known to differ) must differ: its differences show only with
// allVar set in the environment, and one that prints as tool does fails
// t, to leave the pending list.
func matchOutputGoldens(t *testing.T, tool, path, cmd string, pending bool, allVar string) []outputGolden {
	t.Helper()
	goldens, err := readOutputGoldens(path)
	if err != nil {
		t.Fatal(err)
	}
	quiet := pending && os.Getenv(allVar) == ""
	differs := false
	for _, g := range goldens {
		if g.code >= 128 {
			continue // the tool crashed (tc 6.1 asserts on -j -p of u32 filters)
		}
		args := append(strings.Fields(g.opts), strings.Fields(cmd)...)
		out, errs, code := iprIn(nil, "", args...)
		if code != g.code || out != g.stdout {
			differs = true
			if !quiet {
				t.Errorf("ipr %s: exit %d (%s %d), stderr %q\nipr:\n%s\n%s:\n%s", strings.Join(args, " "), code, tool, g.code, errs, out, tool, g.stdout)
			}
		}
	}
	if pending && !differs {
		t.Errorf("prints as %s does: remove it from the pending cases", tool)
	}
	return goldens
}

// outputGoldenFile is the golden file of the case name in dir, named as
// the recording scripts name it: "/" becomes "_".
func outputGoldenFile(dir, name string) string {
	return filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".txt")
}

// goldenCases returns the cases build makes from the fixtures, skipping
// t on a big-endian machine (the fixtures, so the goldens, are
// little-endian) and failing it with fewer than min (a reader that lost
// fixtures would pass vacuously).
func goldenCases[C any](t *testing.T, build func(*testing.T) []C, min int) []C {
	t.Helper()
	if binaryNativeIsBig() {
		t.Skip("the fixtures are little-endian")
	}
	cases := build(t)
	if len(cases) < min {
		t.Fatalf("only %d cases", len(cases))
	}
	return cases
}

// checkReplies checks that the replies file at path, which script feeds
// to the tool under the shim, holds want, the replies the fixtures make
// now; with writeVar set in the environment (as script sets it before
// recording) it rewrites the file instead.
func checkReplies(t *testing.T, path string, want []byte, writeVar, script string) {
	t.Helper()
	if os.Getenv(writeVar) != "" {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale (%v): run %s", path, err, script)
	}
}
