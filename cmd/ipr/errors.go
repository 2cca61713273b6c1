package main

// How a command's failure reaches the user: ip's wording and ip's exit
// statuses, and no internals of the library.

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Exit statuses, as ip's.
const (
	exitFailure = 1   // EXIT_FAILURE: anything else that went wrong
	exitKernel  = 2   // the kernel refused a request
	exitUsage   = 255 // exit(-1): a mistake on the command line
)

// cliError is a failure whose message and exit status are ip's for the
// same failure; report prints msg as it is.
type cliError struct {
	code int
	msg  string
}

func (e *cliError) Error() string { return e.msg }

// usageError is a command-line mistake worded by ipr: report prints it
// as "Error: MSG" and exits with status 255, as ip does for a wrong
// argument.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// usageText is a usage text: report prints it to standard error and
// exits with status 255, as ip's usage() does.
type usageText string

func (u usageText) Error() string { return "usage" }

// errMainUsage is "ip help": the usage of the whole command.
const errMainUsage = usageText(mainUsage)

// invarg is iproute2's invarg: a wrong argument, with ip's wording.
func invarg(msg, arg string) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: argument %q is wrong: %s", arg, msg)}
}

// duparg is iproute2's duparg: a keyword given twice.
func duparg(key, arg string) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: duplicate %q: %q is the second value.", key, arg)}
}

// missarg is iproute2's missarg.
func missarg(key string) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: argument %q is required", key)}
}

// duparg2 is iproute2's duparg2: a keyword given twice, or a stray word.
func duparg2(key, arg string) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: either %q is duplicate, or %q is a garbage.", key, arg)}
}

// notImplemented is the failure of something ip does that ipr does not do
// yet: named, with the status of a command-line mistake, rather than a
// silent difference.
func notImplemented(what string) error {
	return &cliError{code: exitUsage, msg: fmt.Sprintf("Error: %s is not implemented by ipr.", what)}
}

// errNoDevice is ip's error for a device name that does not exist in a
// command that changes something.
func errNoDevice(name string) error {
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Cannot find device %q", name)}
}

// errNoShowDevice is ip's error for a device name that does not exist in
// "link show", "addr show" and "addr flush".
func errNoShowDevice(name string) error {
	return &cliError{code: exitFailure, msg: fmt.Sprintf("Device %q does not exist.", name)}
}

// errIncomplete is ip's error for a keyword missing its argument
// (iproute2's NEXT_ARG).
var errIncomplete error = &cliError{code: exitUsage, msg: `Command line is not complete. Try option "help"`}

// errNoDevArgument is ip's error for "link set" and "link delete" without
// a device.
var errNoDevArgument error = &cliError{code: exitUsage, msg: `Not enough information: "dev" argument is required.`}

// dialError words a failure to open the RTNL handle as ip does.
func dialError(ns string, err error) error {
	if ns != "" {
		return &cliError{code: exitUsage, msg: fmt.Sprintf("setting the network namespace %q failed: %s", ns, strerror(err))}
	}
	return &cliError{code: exitFailure, msg: "Cannot open netlink socket: " + strerror(err)}
}

// report prints err as ip would print the same failure and returns the
// exit status.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var (
		exit  errExit
		usage usageText
		ce    *cliError
		ue    *usageError
		ke    *wire.Error
		errno unix.Errno
	)
	switch {
	case errors.As(err, &exit):
		return int(exit)
	case errors.As(err, &usage):
		io.WriteString(w, string(usage))
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintln(w, ce.msg)
		return ce.code
	case errors.As(err, &ue):
		fmt.Fprintf(w, "Error: %s\n", ue.msg)
		return exitUsage
	case errors.As(err, &ke):
		fmt.Fprintln(w, kernelMessage(ke.Message, ke.Errno))
		return exitKernel
	case errors.As(err, &errno):
		fmt.Fprintln(w, kernelMessage("", errno))
		return exitKernel
	}
	fmt.Fprintf(w, "Error: %v\n", err)
	return exitFailure
}

// refused words the kernel's refusal err as libnetlink does, followed
// by then on a line of its own if it is not empty, with exit status code:
// for the commands whose status after a refusal is not ip's usual 2. Any
// other error is returned as it is.
func refused(err error, code int, then string) error {
	var ke *wire.Error
	if !errors.As(err, &ke) {
		return err
	}
	msg := kernelMessage(ke.Message, ke.Errno)
	if then != "" {
		msg += "\n" + then
	}
	return &cliError{code: code, msg: msg}
}

// dumpTerminated is how libnetlink's dumps report a refused dump: the
// kernel's message, then "Dump terminated", and exit(1).
func dumpTerminated(err error) error { return refused(err, exitFailure, "Dump terminated") }

// kernelMessage is libnetlink's wording of a kernel error: the extended
// ACK's message as "Error: MSG." when there is one, else the errno as
// "RTNETLINK answers: STRERROR".
func kernelMessage(msg string, errno unix.Errno) string {
	if msg != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		return "Error: " + msg
	}
	return "RTNETLINK answers: " + strerror(errno)
}

// strerror is glibc's strerror of the errno in err's chain (Go's texts
// are glibc's, lower-cased; "Unknown error N" for one glibc has no
// text for), or err's own text when it has none.
func strerror(err error) string {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if strings.HasPrefix(s, "errno ") {
		// An errno libc has no text for, such as the kernel's own
		// ENOTSUPP (524): glibc's words for it.
		return "Unknown error " + s[len("errno "):]
	}
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
