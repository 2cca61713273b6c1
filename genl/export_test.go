package genl

// Invalidate runs the cache's handling of a datagram of nlctrl
// notifications.
func (h *Handle) Invalidate(d []byte) {
	h.famMu.Lock()
	h.invalidateAll(d)
	h.famMu.Unlock()
}

// Watching reports whether the handle watches nlctrl's notifications.
func (h *Handle) Watching() bool {
	h.famMu.Lock()
	defer h.famMu.Unlock()
	return h.watch != nil
}

// Open returns how many sockets the handle has open, idle or borrowed.
func (h *Handle) Open() int { return h.pool.OpenCount() }
