package rtm

import "github.com/ipr-go/ipr/socket"

// IdlePortIDs returns the port ids of h's idle sockets, for tests that
// send datagrams to them as another process could.
func IdlePortIDs(h *Handle) []uint32 { return h.pool.IdlePortIDs() }

// IdleWatches returns the sockets of h's idle consistency watches.
func IdleWatches(h *Handle) []*socket.Conn {
	h.watches.mu.Lock()
	defer h.watches.mu.Unlock()
	var conns []*socket.Conn
	for _, w := range h.watches.idle {
		conns = append(conns, w.c)
	}
	return conns
}
