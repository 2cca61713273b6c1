// Package pool is the socket pool shared by the handles of rtm and genl:
// the options that say how sockets are opened (namespace, receive buffer,
// pool size, a transport that replaces the kernel), the pool of idle
// sockets a call borrows from, and Conn, one borrowed transport.
//
// A Conn calls a socket through its concrete type, never through the
// socket.Transport interface: a callback or an iterator's state that went
// through an interface would escape to the heap, and dumps would allocate
// per call what they do not allocate on a socket. Another transport gets
// callbacks that keep copies of the replies (see Conn.Execute).
package pool
