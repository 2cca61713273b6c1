package nltest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ipr-go/ipr/socket"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// header is the first line of a conversation file.
const header = "# nltest conversation v1"

// Recorder records the conversations of real sockets in the conversation
// format (see the package documentation). Its Dial is a [socket.Dialer]:
// it opens real sockets ([socket.Dial]) whose every datagram, sent or
// received, it writes, with the sockets' port ids replaced by their dial
// order (1, 2, ...), so that a recording does not depend on the process
// that made it. It is safe for concurrent use, but a conversation replays
// in the order it was recorded: record sequential code.
type Recorder struct {
	mu    sync.Mutex
	w     *bufio.Writer
	err   error
	ports map[uint32]uint32 // real port id -> dial order
	n     uint32            // sockets dialed
}

// NewRecorder returns a Recorder that writes to w. Call Flush when done.
func NewRecorder(w io.Writer) *Recorder {
	r := &Recorder{w: bufio.NewWriter(w), ports: map[uint32]uint32{}}
	r.w.WriteString(header + "\n")
	return r
}

// Dial opens a real socket that records its conversation.
func (r *Recorder) Dial(protocol int, cfg *socket.Config) (socket.Transport, error) {
	var c socket.Config
	if cfg != nil {
		c = *cfg
	}
	var id uint32
	tap := c.Tap
	c.Tap = func(out bool, d []byte) {
		if tap != nil {
			tap(out, d)
		}
		r.write(out, id, d)
	}
	conn, err := socket.Dial(protocol, &c)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	// A port id the kernel reuses, after a socket closed, is the new
	// socket's from now on.
	r.n++
	id = r.n
	r.ports[conn.PortID()] = id
	fmt.Fprintf(r.w, "# socket %d: protocol %d, groups %v\n", id, protocol, c.Groups)
	r.mu.Unlock()
	return conn, nil
}

func (r *Recorder) write(out bool, id uint32, d []byte) {
	b := append([]byte(nil), d...)
	r.mu.Lock()
	defer r.mu.Unlock()
	// Port ids, which differ from run to run, become dial orders.
	for off := 0; off+wire.HeaderLen <= len(b); {
		n := int(ne.Uint32(b[off:]))
		if pid := ne.Uint32(b[off+12:]); pid != 0 {
			if k, ok := r.ports[pid]; ok {
				ne.PutUint32(b[off+12:], k)
			}
		}
		if n < wire.HeaderLen {
			break
		}
		off += wire.Align(n)
	}
	dir := '<'
	if out {
		dir = '>'
		fmt.Fprintf(r.w, "# %s\n", describe(b))
	}
	fmt.Fprintf(r.w, "%c %d %s\n", dir, id, hex.EncodeToString(b))
}

// Flush writes what is buffered and returns the first write error.
func (r *Recorder) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.w.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	return r.err
}

// describe summarises the messages of a datagram for a comment line.
func describe(d []byte) string {
	var parts []string
	for m, err := range wire.Messages(d) {
		if err != nil {
			parts = append(parts, "malformed")
			break
		}
		s := "type " + strconv.Itoa(int(m.Header.Type))
		if m.Header.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP {
			s += " dump"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// record is one datagram of a conversation.
type record struct {
	out    bool
	socket uint32
	data   []byte
	line   int
}

// readConversation parses the conversation format.
func readConversation(rd io.Reader) ([]record, error) {
	br := bufio.NewReader(rd)
	var recs []record
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, err
		}
		if t := strings.TrimSpace(s); t != "" && t[0] != '#' {
			f := strings.Fields(t)
			if len(f) != 3 || (f[0] != ">" && f[0] != "<") {
				return nil, fmt.Errorf("nltest: line %d: want \"> SOCKET HEX\" or \"< SOCKET HEX\"", line)
			}
			id, perr := strconv.ParseUint(f[1], 10, 32)
			data, herr := hex.DecodeString(f[2])
			if perr != nil || herr != nil {
				return nil, fmt.Errorf("nltest: line %d: bad socket number or hex", line)
			}
			recs = append(recs, record{out: f[0] == ">", socket: uint32(id), data: data, line: line})
		} else if line == 1 && t != header {
			return nil, fmt.Errorf("nltest: not a conversation (first line %q, want %q)", t, header)
		}
		if err == io.EOF {
			return recs, nil
		}
	}
}

// MismatchError reports a request that differs from the recorded one.
type MismatchError struct {
	Line      int    // line of the recorded request in the conversation, 0 past its end
	Want, Got []byte // the recorded and the actual request (sequence numbers and port ids as sent)
}

func (e *MismatchError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("nltest: request (%s) past the end of the conversation", describe(e.Got))
	}
	off := 0
	for off < len(e.Want) && off < len(e.Got) && e.Want[off] == e.Got[off] {
		off++
	}
	return fmt.Sprintf("nltest: request (%s) differs from the one recorded at line %d (%s) from byte %d:\n got %x\nwant %x",
		describe(e.Got), e.Line, describe(e.Want), off, e.Got, e.Want)
}

// Replayer plays a recorded conversation back: its Dial is a
// [socket.Dialer] whose transports answer each request with the replies
// recorded for it, after checking that it is the request recorded next
// (sequence numbers and port ids aside). Requests are matched in the
// order they were recorded, whichever transport sends them; recorded
// notifications are not replayed. It is safe for concurrent use.
type Replayer struct {
	mu   sync.Mutex
	recs []record
	// used marks the records replayed; next is the first request
	// (record sent) not replayed.
	used  []bool
	next  int
	ports uint32
	err   error
	// fail, if set, reports a mismatch to a test as it happens.
	fail func(error)
}

// NewReplayer reads a conversation.
func NewReplayer(r io.Reader) (*Replayer, error) {
	recs, err := readConversation(r)
	if err != nil {
		return nil, err
	}
	return &Replayer{recs: recs, used: make([]bool, len(recs))}, nil
}

// OpenReplayer reads the conversation in the file at path, gzip-compressed
// if the name ends in .gz, as [Conversation] recorded it; examples replay
// recorded conversations with it.
func OpenReplayer(path string) (*Replayer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rd = zr
	}
	r, err := NewReplayer(rd)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ReplayFile returns a dialer whose transports replay the conversation in
// the file at path, as [OpenReplayer] reads it: the dialer to pass to
// rtm.WithTransport or genl.WithTransport in an example or a program
// that runs against a recording instead of the kernel. The file is read
// once, now; if that fails, every dial returns the error, so that it
// surfaces from the Dial that opens the handle rather than needing its
// own check. Use [OpenReplayer] to see, after the replay, whether
// requests went unmatched ([Replayer.Err], [Replayer.Left]), and
// [Conversation] in tests.
func ReplayFile(path string) socket.Dialer {
	r, err := OpenReplayer(path)
	if err != nil {
		return func(int, *socket.Config) (socket.Transport, error) { return nil, err }
	}
	return r.Dial
}

// Dial opens a transport that replays the conversation.
func (r *Replayer) Dial(protocol int, cfg *socket.Config) (socket.Transport, error) {
	r.mu.Lock()
	r.ports++
	port := r.ports
	r.mu.Unlock()
	return newConn(r, port, cfg), nil
}

// Err returns the first mismatch, if any.
func (r *Replayer) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Left returns how many recorded requests have not been replayed.
func (r *Replayer) Left() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i, rec := range r.recs {
		if rec.out && !r.used[i] {
			n++
		}
	}
	return n
}

func (r *Replayer) mismatch(err error) error {
	if r.err == nil {
		r.err = err
	}
	if r.fail != nil {
		r.fail(err)
	}
	return err
}

// sameRequest compares two requests, sequence numbers and port ids aside.
func sameRequest(a, b []byte) bool {
	if len(a) != len(b) || len(a) < wire.HeaderLen {
		return false
	}
	return bytes.Equal(a[:8], b[:8]) && bytes.Equal(a[wire.HeaderLen:], b[wire.HeaderLen:])
}

// split returns the messages of d other than NLMSG_NOOP (the barriers a
// batch adds), as byte slices.
func split(d []byte) [][]byte {
	var out [][]byte
	for off := 0; off+wire.HeaderLen <= len(d); {
		n := int(ne.Uint32(d[off:]))
		if n < wire.HeaderLen || off+n > len(d) {
			out = append(out, d[off:])
			break
		}
		if ne.Uint16(d[off+4:]) != unix.NLMSG_NOOP {
			out = append(out, d[off:off+n])
		}
		off += wire.Align(n)
	}
	return out
}

func (r *Replayer) answer(c *conn, dgram []byte) ([][]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	reqs := split(dgram)
	var answers [][]byte
	for len(reqs) > 0 {
		// The next request recorded; the replies of another socket's
		// requests, which may come later, are left for them.
		for r.next < len(r.recs) && (!r.recs[r.next].out || r.used[r.next]) {
			r.next++
		}
		if r.next == len(r.recs) {
			return nil, r.mismatch(&MismatchError{Got: reqs[0]})
		}
		rec := r.recs[r.next]
		for _, want := range split(rec.data) {
			if len(reqs) == 0 || !sameRequest(want, reqs[0]) {
				got := want[:0]
				if len(reqs) > 0 {
					got = reqs[0]
				}
				return nil, r.mismatch(&MismatchError{Line: rec.line, Want: want, Got: got})
			}
			// The recorded sequence number, so that the recorded
			// replies answer this request.
			copy(reqs[0][8:12], want[8:12])
			reqs = reqs[1:]
		}
		r.used[r.next] = true
		// Its replies: what its socket received up to its next request.
		for i := r.next + 1; i < len(r.recs); i++ {
			a := r.recs[i]
			if a.socket != rec.socket || r.used[i] {
				continue
			}
			if a.out {
				break
			}
			r.used[i] = true
			answers = append(answers, readdress(a.data, rec.socket, c.port))
		}
	}
	return answers, nil
}

// readdress copies d with the port id from replaced by to.
func readdress(d []byte, from, to uint32) []byte {
	b := append([]byte(nil), d...)
	for off := 0; off+wire.HeaderLen <= len(b); {
		n := int(ne.Uint32(b[off:]))
		if ne.Uint32(b[off+12:]) == from {
			ne.PutUint32(b[off+12:], to)
		}
		if n < wire.HeaderLen {
			break
		}
		off += wire.Align(n)
	}
	return b
}

// RecordEnv is the environment variable that makes [Conversation]
// record rather than replay: set it to 1, as root.
const RecordEnv = "NLTEST_RECORD"

// Recording reports whether [Conversation] records ([RecordEnv] is 1).
func Recording() bool { return os.Getenv(RecordEnv) == "1" }

// Conversation returns a dialer for a test that talks to the kernel
// through the conversation in the file at path. Normally it replays it
// (see [Replayer]): a request that differs from the recorded one fails
// the test, and so does a recorded request the test did not make. When
// [Recording], it dials real sockets and records their conversation into
// path instead (see [Recorder]); the test then needs the privileges and
// the set-up (a namespace, in the dialer's socket.Config) that the
// conversation needs. A path ending in .gz is gzip-compressed, which
// suits large conversations (dumps of many links) twenty times over.
func Conversation(t testing.TB, path string) socket.Dialer {
	t.Helper()
	if Recording() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		var w io.Writer = f
		var zw *gzip.Writer
		if strings.HasSuffix(path, ".gz") {
			zw = gzip.NewWriter(f)
			w = zw
		}
		rec := NewRecorder(w)
		t.Cleanup(func() {
			err := rec.Flush()
			if zw != nil {
				err = errors.Join(err, zw.Close())
			}
			if err := errors.Join(err, f.Close()); err != nil {
				t.Errorf("nltest: recording %s: %v", path, err)
			}
		})
		return rec.Dial
	}
	r, err := OpenReplayer(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("nltest: %v (record it as root with %s=1)", err, RecordEnv)
	}
	if err != nil {
		t.Fatalf("nltest: %v", err)
	}
	r.fail = func(err error) { t.Errorf("%s: %v", path, err) }
	t.Cleanup(func() {
		if n := r.Left(); n > 0 && r.Err() == nil && !t.Failed() {
			t.Errorf("nltest: %s: %d recorded requests were not made", path, n)
		}
	})
	return r.Dial
}
