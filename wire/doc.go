// Package wire frames netlink messages: it walks the messages of a
// received datagram without copying them, decodes acknowledgements and
// errors (with the kernel's extended ACK), detects interrupted dumps, and
// builds requests, several back to back in one reusable buffer.
//
// The package is independent of sockets: it reads and writes byte slices,
// so everything in it can be tested, benchmarked and fuzzed without a
// kernel.
//
// Kernel errors become [*Error] values that unwrap to the [unix.Errno], so
// errors.Is(err, unix.EEXIST) and errors.Is(err, fs.ErrExist) work, and that
// carry the extended ACK: the kernel's message, the offending attribute
// located in the request, a missing attribute, and the policy it violated.
package wire
