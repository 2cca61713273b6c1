package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// calcGolden is one case of testdata/calc: a command line, its standard
// input, and what Python's ipaddress says it must print
// (scripts/calc_golden.py writes them).
type calcGolden struct {
	args   []string
	stdin  string
	exit   int
	stderr string
	stdout string
}

func readCalcGolden(path string) (*calcGolden, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g := &calcGolden{}
	rest := string(b)
	for strings.HasPrefix(rest, "# ") {
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		key, value, _ := strings.Cut(strings.TrimPrefix(line, "# "), ": ")
		switch key {
		case "args":
			g.args = strings.Fields(value)
		case "stdin":
			g.stdin += value + "\n"
		case "exit":
			if g.exit, err = strconv.Atoi(value); err != nil {
				return nil, err
			}
		case "stderr":
			g.stderr = value + "\n"
		default:
			return nil, errors.New("unknown header " + strconv.Quote(line))
		}
	}
	if g.args == nil {
		return nil, errors.New("no # args: line")
	}
	g.stdout = rest
	return g, nil
}

func TestCalcGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/calc/*.golden")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files (regenerate with scripts/calc_golden.py): %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".golden")
		t.Run(name, func(t *testing.T) {
			g, err := readCalcGolden(path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			stdout, stderr, exit := iprIn(nil, g.stdin, g.args...)
			if exit != g.exit {
				t.Errorf("ipr %s: exit status %d, want %d (stderr %q)", strings.Join(g.args, " "), exit, g.exit, stderr)
			}
			if stdout != g.stdout {
				t.Errorf("ipr %s: stdout\n%s\nwant\n%s", strings.Join(g.args, " "), stdout, g.stdout)
			}
			if stderr != g.stderr {
				t.Errorf("ipr %s: stderr %q, want %q", strings.Join(g.args, " "), stderr, g.stderr)
			}
		})
	}
}

// TestCalcUsage checks that malformed command lines, which never reach
// ipnet, are usage errors (exit status 2) that print nothing on stdout.
func TestCalcUsage(t *testing.T) {
	for _, args := range [][]string{
		{"calc", "summarize", "10.0.0.1"},
		{"calc", "exclude", "10.0.0.0/8"},
		{"calc", "subnets", "10.0.0.0/8", "x"},
		{"calc", "subnets", "10.0.0.0/8", "+x"},
		{"calc", "subnets"},
	} {
		if stdout, stderr, exit := ipr(args...); exit != 255 || stdout != "" || !strings.HasPrefix(stderr, "Error: calc ") {
			t.Errorf("ipr %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), exit, stdout, stderr)
		}
	}
}
