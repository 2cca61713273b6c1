// Package uapi holds the constants of the kernel's UAPI headers that
// golang.org/x/sys/unix lacks and that more than one package of the module
// needs (rtm encodes and decodes with them, cmd/ipr prints with them), under
// the headers' names, as x/sys/unix names its constants.
package uapi
