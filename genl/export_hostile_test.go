package genl

// IdlePortIDs returns the port ids of h's idle sockets, for the hostile
// tests that send datagrams to them as another process could.
func IdlePortIDs(h *Handle) []uint32 { return h.pool.IdlePortIDs() }
