// Package genltest holds what the tests of genl and of its family
// packages share: a handle closed when the test ends, one over a fake
// kernel that knows no family, and one over a recorded conversation; the
// check of the error a kernel without the family gives, and the
// measure of a dump's allocations; the check of a by-name schema
// written by hand; and the comparisons with what iproute2 sent and
// printed under scripts/fakegenl's shim (iproute2.go).
package genltest

import (
	"errors"
	"iter"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/internal/testrun"
	"github.com/ipr-go/ipr/nltest"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Dial dials a handle with opts, failing the test on error, and closes it
// when the test ends.
func Dial(t testing.TB, opts ...genl.Option) *genl.Handle {
	t.Helper()
	h, err := genl.Dial(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// DialNS dials a handle, as Dial does, in a throwaway namespace, once
// the kernel has features (nstest.Require: the test is skipped
// otherwise), and returns both.
func DialNS(t testing.TB, features ...string) (*genl.Handle, *nstest.NS) {
	t.Helper()
	nstest.Require(t, features...)
	ns := nstest.New(t)
	return Dial(t, genl.WithNetns(ns.Name)), ns
}

// WantNotFound fails t unless err, what call (a call on a handle of
// NoFamilies) returned, is the FamilyNotFoundError of family.
func WantNotFound(t testing.TB, call, family string, err error) {
	t.Helper()
	var nf *genl.FamilyNotFoundError
	if !errors.Is(err, genl.ErrFamilyNotFound) || !errors.As(err, &nf) || nf.Name != family {
		t.Errorf("%s without the family %s: %v", call, family, err)
	}
}

// FirstErr returns the first error seq yields, or nil: the error of a
// dump that fails at once.
func FirstErr[T any](seq iter.Seq2[T, error]) error { return testrun.FirstErr(seq) }

// DumpAllocs returns how many times walk, a dump that returns how many
// objects it read (-1 on an error), allocates: the least of three
// testing.AllocsPerRun, since a GC between runs may empty the handle's
// builder pool. It fails the test unless walk reads want objects, what
// naming them in the message.
func DumpAllocs(t testing.TB, what string, want int, walk func() int) float64 {
	t.Helper()
	if n := walk(); n != want {
		t.Fatalf("%d %s, want %d", n, what, want)
	}
	return testrun.LeastAllocs(10, func() { walk() })
}

// NoFamilies returns a handle over a fake kernel whose nlctrl answers
// ENOENT to every lookup, as a kernel without the family does, and the
// fake, which counts the requests it was sent.
func NoFamilies(t testing.TB) (*genl.Handle, *nltest.Fake) {
	t.Helper()
	fake := nltest.NewFake()
	fake.Handle(unix.GENL_ID_CTRL, func(wire.Message) ([][]byte, error) { return nil, unix.ENOENT })
	return Dial(t, genl.WithTransport(fake.Dial)), fake
}

// Replay returns a handle over the conversation in the package's
// testdata/conv/name, replayed without root. With NLTEST_RECORD=1 it is
// recorded anew from the kernel in a throwaway namespace, which setup
// (if not nil) prepares first; opts are added to the handle's either way.
func Replay(t testing.TB, name string, setup func(ns *nstest.NS), opts ...genl.Option) *genl.Handle {
	t.Helper()
	opts = append([]genl.Option{genl.WithTransport(nltest.Conversation(t, filepath.Join("testdata", "conv", name)))}, opts...)
	if nltest.Recording() {
		ns := nstest.New(t)
		if setup != nil {
			setup(ns)
		}
		opts = append(opts, genl.WithNetns(ns.Name))
	}
	return Dial(t, opts...)
}

// CheckSchema fails t unless s, a by-name schema written by hand (for a
// family without a YNL spec), lists in ByName every named type, in the
// byte order of the names, as schema.Schema.Type needs.
func CheckSchema(t testing.TB, s *schema.Schema) {
	t.Helper()
	var names []string
	for _, typ := range s.ByName {
		names = append(names, s.Attrs[typ].Name)
	}
	named := 0
	for _, a := range s.Attrs {
		if a.Name != "" {
			named++
		}
	}
	if !slices.IsSorted(names) || len(names) != named {
		t.Errorf("schema %s: ByName gives %v; want all %d names, sorted", s.Name, names, named)
	}
	for _, n := range names {
		if typ, ok := s.Type(n); !ok || s.Attrs[typ].Name != n {
			t.Errorf("schema %s: Type(%s) = %d, %v", s.Name, n, typ, ok)
		}
	}
}
