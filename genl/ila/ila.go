package ila

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
)

// Spec describes a mapping: what [Add] adds, and what [Delete] looks
// for. A nil field is left out of the request (the kernel's default:
// locators 0, checksum mode CsumNoAction, identifier type
// IdentUseFormat, any device).
type Spec struct {
	// LocatorMatch is the locator the mapping matches in arriving
	// packets; [Add] needs it.
	LocatorMatch *uint64
	// Locator is the locator written in their place; [Add] needs it.
	Locator *uint64
	// Ifindex, if not 0, is the device whose packets the mapping
	// applies to.
	Ifindex int32
	// CsumMode, if not nil, is the mapping's checksum mode.
	CsumMode *CsumMode
	// IdentType, if not nil, is the type of the identifiers the mapping
	// applies to.
	IdentType *IdentType
}

// check validates s; adding also checks that both locators are set, as
// ip and the kernel want for ILA_CMD_ADD.
func (s *Spec) check(adding bool) error {
	switch {
	case adding && s.LocatorMatch == nil:
		return fmt.Errorf("ila: %w: a mapping without a locator to match", ErrInvalid)
	case adding && s.Locator == nil:
		return fmt.Errorf("ila: %w: a mapping without a locator", ErrInvalid)
	case s.Ifindex < 0:
		return fmt.Errorf("ila: %w: device index %d", ErrInvalid, s.Ifindex)
	case s.CsumMode != nil && *s.CsumMode > CsumNeutralMapAuto:
		return fmt.Errorf("ila: %w: checksum mode %d", ErrInvalid, *s.CsumMode)
	case s.IdentType != nil && s.IdentType.String() == "unknown":
		return fmt.Errorf("ila: %w: identifier type %d", ErrInvalid, *s.IdentType)
	}
	return nil
}

// request is the request of command cmd for s, with ip's attribute
// order: locator to match, locator, device, checksum mode, identifier
// type.
func (s Spec) request(cmd uint8, adding bool) (genl.Request, error) {
	if err := s.check(adding); err != nil {
		return genl.Request{}, err
	}
	return genl.Request{Command: cmd, Attrs: func(e *nla.Encoder) {
		if s.LocatorMatch != nil {
			e.Uint64BE(AttrLocatorMatch, *s.LocatorMatch)
		}
		if s.Locator != nil {
			e.Uint64BE(AttrLocator, *s.Locator)
		}
		if s.Ifindex != 0 {
			e.Int32(AttrIfindex, s.Ifindex)
		}
		if s.CsumMode != nil {
			e.Uint8(AttrCsumMode, uint8(*s.CsumMode))
		}
		if s.IdentType != nil {
			e.Uint8(AttrIdentType, uint8(*s.IdentType))
		}
	}}, nil
}

// Add is the request that adds the mapping s (EEXIST when one with the
// same locator to match and device exists).
func Add(s Spec) (genl.Request, error) { return s.request(CmdAdd, true) }

// Delete is the request that removes the mapping s (ENOENT when none
// matches): its locator to match, locator and device pick it.
func Delete(s Spec) (genl.Request, error) { return s.request(CmdDel, false) }

// Flush is the request that removes every mapping (ILA_CMD_FLUSH).
func Flush() genl.Request { return genl.Request{Command: CmdFlush} }

// Do resolves the ila family on h (which caches it) and sends reqs, one
// by one when there is one, pipelined otherwise (the error is then the
// first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}

// Mappings lists the mappings (a dump of ILA_CMD_GET). Each view is
// valid until the next iteration; iterating allocates nothing per
// mapping.
func Mappings(ctx context.Context, h *genl.Handle) iter.Seq2[Mapping, error] {
	get := genl.Request{Command: CmdGet}
	return genl.DumpFamily(ctx, h, FamilyName, get, ParseMapping)
}

// ParseLocator reads a locator written as four groups of hexadecimal
// digits of at most 0xffff each, "2001:db8:1:2", a group possibly
// prefixed by "0x" (iproute2's get_addr64, without its reading of fewer
// groups from uninitialized memory).
func ParseLocator(s string) (uint64, error) {
	var v uint64
	rest := s
	for i := range 4 {
		group, tail, found := strings.Cut(rest, ":")
		if len(group) > 2 && (group[:2] == "0x" || group[:2] == "0X") {
			group = group[2:]
		}
		if found != (i < 3) || group == "" || group[0] == '+' || group[0] == '-' {
			return 0, fmt.Errorf("ila: %w: locator %q", ErrInvalid, s)
		}
		n, err := strconv.ParseUint(group, 16, 16)
		if err != nil {
			return 0, fmt.Errorf("ila: %w: locator %q", ErrInvalid, s)
		}
		v, rest = v<<16|n, tail
	}
	return v, nil
}

// AppendLocator appends the locator v as ip writes it: four groups of
// hexadecimal digits without leading zeros, "2001:db8:1:2".
func AppendLocator(dst []byte, v uint64) []byte {
	for i := 3; i >= 0; i-- {
		dst = strconv.AppendUint(dst, v>>(16*i)&0xffff, 16)
		if i > 0 {
			dst = append(dst, ':')
		}
	}
	return dst
}
