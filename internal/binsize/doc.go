// Package binsize holds the small programs that scripts/binsize.sh builds
// statically to measure what each package of the module adds to a binary
// and does at package init. Each program does its work only when run with
// the argument "run", so that the script can run it for GODEBUG=inittrace
// anywhere (no socket, no namespace) while the linker still keeps
// everything the work needs.
package binsize
