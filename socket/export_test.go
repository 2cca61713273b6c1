package socket

// ShrinkBuffer replaces c's receive buffer, so that tests can provoke
// truncation with ordinary messages.
func ShrinkBuffer(c *Conn, n int) {
	c.mu.Lock()
	c.buf = make([]byte, n)
	c.mu.Unlock()
}
