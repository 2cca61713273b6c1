// Package netns opens Linux network namespaces, creates and deletes named
// ones, and runs code inside them.
//
// # Named namespaces
//
// A named namespace is a file in [RunDir] on which a namespace is
// bind-mounted; the mount, not a process, keeps the namespace alive. [Add],
// [Delete] and [List] make and read exactly the state that iproute2 does, so
// "ip netns list" shows the namespaces this package adds, "ip -n NAME" works
// on them, and this package sees the ones "ip netns add" made. Names follow
// iproute2's rules, and [Path] maps a name to its file.
//
// # Handles
//
// A [Handle] is an open file descriptor that refers to a network namespace,
// obtained by name ([Open]), by path ([OpenPath]), by process ([OpenPID]) or
// for the calling thread ([Current]). While the handle is open the namespace
// exists, even if its name is deleted. Two handles refer to the same
// namespace when their [ID]s, the device and inode numbers of the namespace,
// are equal.
//
// # Threads
//
// A network namespace belongs to a thread, not to a process, and the Go
// runtime moves goroutines between threads at will. [Do] therefore runs a
// function on a goroutine locked to its own OS thread, switches that thread
// into the namespace, and switches it back afterwards. Code in the function
// that creates sockets, links or routes acts on the namespace; goroutines it
// starts do not run in the namespace.
//
// If the thread cannot be switched back, it is never handed back to the
// runtime for reuse: the goroutine exits still locked to it, and the runtime
// terminates the thread. No thread returns to the pool in the wrong
// namespace, and every goroutine outside Do keeps running in the namespace
// the process started in. [Add] creates namespaces under the same rule.
//
// Everything here needs Linux 3.17 or later with /proc mounted. Adding,
// deleting and entering namespaces also needs CAP_SYS_ADMIN; opening and
// comparing them does not.
package netns
