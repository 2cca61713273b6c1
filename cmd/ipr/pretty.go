package main

// -pretty: the JSON of -json re-laid out as iproute2's json_writer lays it
// out with pretty printing on.

import "bytes"

// output writes a command's printed output: the printer's buffer,
// re-laid out with -pretty when it holds JSON.
func (e *env) output(p *printer) error {
	if p.err != nil {
		return p.err
	}
	b := p.buf
	if p.json && p.w == nil {
		if e.Pretty {
			b = prettyJSON(b)
		} else {
			b = dropRawMarks(b)
		}
	}
	_, err := e.Stdout.Write(b)
	return err
}

// endList ends a listing that opened its JSON array and writes it: ip
// ends the array's line.
func (e *env) endList(p *printer) error {
	p.closeArray()
	if p.json {
		p.buf = append(p.buf, '\n')
	}
	return e.output(p)
}

// rawMark brackets, in JSON held for -pretty, the text tc's printers
// write with fprintf in the middle of their JSON (printer.raw): a NUL,
// which JSON escapes in strings and so never holds otherwise.
const rawMark = 0

// dropRawMarks removes the rawMarks of JSON printed whole without
// -pretty (in place).
func dropRawMarks(b []byte) []byte {
	if bytes.IndexByte(b, rawMark) < 0 {
		return b
	}
	out := b[:0]
	for _, c := range b {
		if c != rawMark {
			out = append(out, c)
		}
	}
	return out
}

// prettyJSON re-lays out compact JSON as iproute2's json_writer does in
// pretty mode: each object member on a line of its own, indented by four
// spaces a level, "key": value, arrays kept on the line of their opening
// bracket with a space inside each bracket ("[ {", "} ]", "[ ]"). What is
// not JSON structure (the newline after each document) is copied as is,
// and so is text between rawMarks, where json_writer's stream would have
// it.
func prettyJSON(in []byte) []byte {
	w := jsonWriter{out: make([]byte, 0, len(in)+len(in)/2)}
	for i := 0; i < len(in); i++ {
		switch c := in[i]; c {
		case rawMark:
			j := bytes.IndexByte(in[i+1:], rawMark)
			if j < 0 {
				j = len(in) - i - 1
			}
			w.out = append(w.out, in[i+1:i+1+j]...)
			i += j + 1
		case '{':
			w.begin('{')
		case '[':
			w.begin('[')
			w.out = append(w.out, ' ')
		case '}':
			w.end('}')
		case ']':
			if w.sep != 0 {
				w.out = append(w.out, ' ')
			}
			w.sep = 0
			w.end(']')
		case ',', ':', ' ':
		case '\n':
			if w.depth == 0 {
				w.out = append(w.out, '\n')
				w.sep = 0
			}
		case '"':
			j := i + 1
			for j < len(in) && in[j] != '"' {
				if in[j] == '\\' {
					j++
				}
				j++
			}
			tok := in[i:min(j+1, len(in))]
			i = j
			if i+1 < len(in) && in[i+1] == ':' {
				w.name(tok)
			} else {
				w.value(tok)
			}
		default:
			j := i
			for j < len(in) && !isJSONDelim(in[j]) {
				j++
			}
			w.value(in[i:j])
			i = j - 1
		}
	}
	return w.out
}

func isJSONDelim(c byte) bool {
	switch c {
	case ',', ':', '}', ']', '{', '[', ' ', '\n', '"', rawMark:
		return true
	}
	return false
}

// jsonWriter is iproute2's json_writer with pretty printing on.
type jsonWriter struct {
	out   []byte
	depth int
	sep   byte // 0 or ','
}

func (w *jsonWriter) eol() {
	w.out = append(w.out, '\n')
	for i := 0; i < w.depth; i++ {
		w.out = append(w.out, "    "...)
	}
}

func (w *jsonWriter) eor() {
	if w.sep != 0 {
		w.out = append(w.out, w.sep)
	}
	w.sep = ','
}

func (w *jsonWriter) begin(c byte) {
	w.eor()
	w.out = append(w.out, c)
	w.depth++
	w.sep = 0
}

func (w *jsonWriter) end(c byte) {
	if w.depth > 0 {
		w.depth--
	}
	if w.sep != 0 {
		w.eol()
	}
	w.out = append(w.out, c)
	w.sep = ','
}

func (w *jsonWriter) name(quoted []byte) {
	w.eor()
	w.eol()
	w.sep = 0
	w.out = append(w.out, quoted...)
	w.out = append(w.out, ':', ' ')
}

func (w *jsonWriter) value(tok []byte) {
	w.eor()
	w.out = append(w.out, tok...)
}
