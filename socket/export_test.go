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
