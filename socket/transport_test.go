package socket_test

import (
	"testing"

	"github.com/ipr-go/ipr/socket"
)

// TestDialTransportError checks that a failed dial returns a nil
// interface, not one holding a nil *Conn, which would compare non-nil.
func TestDialTransportError(t *testing.T) {
	tr, err := socket.DialTransport(-1, &socket.Config{}) // no such protocol
	if err == nil {
		tr.Close()
		t.Fatal("dialing protocol -1 succeeded")
	}
	if tr != nil {
		t.Errorf("a failed dial returned a non-nil transport %#v", tr)
	}
}

// *Conn is the real Transport.
var _ socket.Transport = (*socket.Conn)(nil)
