package rtm

// IdlePortIDs returns the port ids of h's idle sockets, for tests that
// send datagrams to them as another process could.
func IdlePortIDs(h *Handle) []uint32 {
	var conns []*conn
	for {
		select {
		case c := <-h.idle:
			conns = append(conns, c)
			continue
		default:
		}
		break
	}
	ids := make([]uint32, len(conns))
	for i, c := range conns {
		ids[i] = c.PortID()
		h.idle <- c
	}
	return ids
}
