package socket

import "context"

// ShrinkBuffer replaces c's receive buffer, so that tests can provoke
// truncation with ordinary messages.
func ShrinkBuffer(c *Conn, n int) {
	if c.acquire(context.Background()) != nil {
		return
	}
	c.buf = make([]byte, n)
	c.release()
}

// BufferSize returns the size of c's receive buffer.
func BufferSize(c *Conn) int {
	if c.acquire(context.Background()) != nil {
		return -1
	}
	defer c.release()
	return len(c.buf)
}
