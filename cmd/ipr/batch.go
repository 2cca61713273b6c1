package main

// -batch FILE: one command per line, as iproute2's do_batch runs them.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// runBatch runs the commands of file ("-" is standard input) with one
// handle. A failed command prints "Command failed FILE:LINE" and ends the
// batch unless force is set; the status is then 1. As in ip, a mistake on
// a command line ends the batch at once, with status 255, even with
// -force: ip leaves through exit(-1) for those.
func runBatch(e *env, file string, force bool, do func(*env, []string) error) int {
	e.inBatch = true
	in := e.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintf(e.Stderr, "Cannot open file %q for reading: %s\n", file, strerror(err))
			return exitFailure
		}
		defer f.Close()
		in = f
	}
	if in == nil {
		in = strings.NewReader("")
	}
	family := e.Family
	r := bufio.NewReader(in)
	lineno := 0
	status := 0
	for {
		line, err := readCommandLine(r, &lineno)
		if err != nil {
			// ip ends the batch quietly at the end of the file, and
			// with a message but the same status when the last line
			// asks for a continuation that never comes.
			if err != io.EOF {
				fmt.Fprintln(e.Stderr, err)
			}
			return status
		}
		argv, err := makeArgs(line)
		if err != nil {
			fmt.Fprintln(e.Stderr, err)
			return exitFailure
		}
		if len(argv) == 0 {
			continue
		}
		e.Family = family
		code := report(e.Stderr, do(e, argv))
		if code == exitUsage {
			return code
		}
		if code != 0 {
			fmt.Fprintf(e.Stderr, "Command failed %s:%d\n", file, lineno)
			status = exitFailure
			if !force {
				return status
			}
		}
		if e.ctx.Err() != nil {
			return exitFailure
		}
	}
}

// readCommandLine is iproute2's getcmdline: one line, without what
// follows a '#', joined with the next while it ends in a backslash.
// lineno counts the lines read.
func readCommandLine(r *bufio.Reader, lineno *int) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", err
	}
	*lineno++
	line, _, _ = strings.Cut(line, "#")
	var b strings.Builder
	for {
		body, cont := strings.CutSuffix(line, "\\\n")
		if !cont {
			b.WriteString(line)
			return b.String(), nil
		}
		b.WriteString(body)
		next, err := r.ReadString('\n')
		if err != nil && (err != io.EOF || next == "") {
			return "", fmt.Errorf("Missing continuation line")
		}
		*lineno++
		line, _, _ = strings.Cut(next, "#")
	}
}

// makeArgs is iproute2's makeargs: words separated by blanks; a word
// that begins with a quote runs to the same quote.
func makeArgs(line string) ([]string, error) {
	const ws = " \t\r\n"
	var argv []string
	for {
		line = strings.TrimLeft(line, ws)
		if line == "" {
			return argv, nil
		}
		if q := line[0]; q == '\'' || q == '"' {
			word, rest, ok := strings.Cut(line[1:], string(q))
			if !ok {
				return nil, fmt.Errorf("Unterminated quoted string")
			}
			argv = append(argv, word)
			line = rest
			continue
		}
		end := strings.IndexAny(line, ws)
		if end < 0 {
			return append(argv, line), nil
		}
		argv = append(argv, line[:end])
		line = line[end+1:]
	}
}
