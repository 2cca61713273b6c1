package main

// -pretty: the JSON of -json re-laid out as iproute2's json_writer lays it
// out with pretty printing on.

// output writes a command's printed output: the printer's buffer,
// re-laid out with -pretty when it holds JSON.
func (e *env) output(p *printer) error {
	if p.err != nil {
		return p.err
	}
	b := p.buf
	if p.json && e.Pretty && p.w == nil {
		b = prettyJSON(b)
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

// prettyJSON re-lays out compact JSON as iproute2's json_writer does in
// pretty mode: each object member on a line of its own, indented by four
// spaces a level, "key": value, arrays kept on the line of their opening
// bracket with a space inside each bracket ("[ {", "} ]", "[ ]"). What is
// not JSON structure (the newline after each document) is copied as is.
func prettyJSON(in []byte) []byte {
	w := jsonWriter{out: make([]byte, 0, len(in)+len(in)/2)}
	for i := 0; i < len(in); i++ {
		switch c := in[i]; c {
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
	case ',', ':', '}', ']', '{', '[', ' ', '\n', '"':
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
