package rtm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// Address label attributes (linux/if_addrlabel.h).
const (
	ifalAddress = 1
	ifalLabel   = 2
)

// AddrLabelDefault is the label the kernel reserves for "no label"
// (IPV6_ADDR_LABEL_DEFAULT): it refuses it in a new label.
const AddrLabelDefault = 0xffffffff

// AddrLabel is a view of one RTM_NEWADDRLABEL message: one entry of the
// IPv6 address label table of RFC 6724's source address selection ("ip
// addrlabel"). An AddrLabel yielded by a dump is valid until the next
// iteration; Clone detaches it.
type AddrLabel struct{ view[ifaddrlblmsg] }

// AddrLabelFromBytes returns the AddrLabel in a message payload (the bytes
// after nlmsghdr), for decoding captured messages.
func AddrLabelFromBytes(b []byte) (AddrLabel, error) {
	return viewOf[AddrLabel](&addrLabelMsgs, b, nil)
}

// Clone returns a copy of l that owns its bytes.
func (l AddrLabel) Clone() AddrLabel { return AddrLabel{l.clone()} }

// Family returns ifal_family, AF_INET6.
func (l AddrLabel) Family() uint8 { return l.hdr()[0] }

// PrefixLen returns ifal_prefixlen.
func (l AddrLabel) PrefixLen() uint8 { return l.hdr()[2] }

// Flags returns ifal_flags.
func (l AddrLabel) Flags() uint8 { return l.hdr()[3] }

// Index returns ifal_index: the interface the entry is restricted to, 0
// for every interface.
func (l AddrLabel) Index() int32 { return int32(native.Uint32(l.hdr()[4:])) }

// Seq returns ifal_seq, the table's generation, which a dump uses to
// notice changes.
func (l AddrLabel) Seq() uint32 { return native.Uint32(l.hdr()[8:]) }

// Address returns IFAL_ADDRESS.
func (l AddrLabel) Address() netip.Addr { return l.ip(ifalAddress) }

// Prefix returns the entry's prefix, IFAL_ADDRESS with ifal_prefixlen;
// the zero Prefix if the address is absent or the length too long.
func (l AddrLabel) Prefix() netip.Prefix {
	a := l.Address()
	if !a.IsValid() || int(l.PrefixLen()) > a.BitLen() {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(a, int(l.PrefixLen()))
}

// Label returns IFAL_LABEL.
func (l AddrLabel) Label() (uint32, bool) { return l.u32(ifalLabel) }

// Get returns an attribute by pyroute2-style name ("address", "label").
func (l AddrLabel) Get(path ...string) (Value, bool) {
	return schema.Lookup(addrLabelSchema, l.index(), l.Chain(), path)
}

// Attrs yields every attribute with its pyroute2-style name.
func (l AddrLabel) Attrs() iter.Seq2[string, Value] { return schema.All(addrLabelSchema, l.Chain()) }

// AddrLabels streams the address label table (IPv6: the only family that
// has one) ("ip addrlabel list"). Each AddrLabel is valid until the next
// iteration; iterating allocates nothing per entry.
func (h *Handle) AddrLabels(ctx context.Context) iter.Seq2[AddrLabel, error] {
	return func(yield func(AddrLabel, error) bool) {
		b, _ := h.newRequest(unix.RTM_GETADDRLABEL, unix.NLM_F_DUMP, sizeofIfAddrlblMsg, unix.AF_INET6)
		b.End()
		dumpOf(ctx, h, "address label dump", &addrLabelMsgs, b, dumpRun{}, func(v view[ifaddrlblmsg], err error) bool {
			return yield(AddrLabel{v}, err)
		})
	}
}

// AddrLabelSpec describes an address label to add or delete ("ip
// addrlabel add prefix PREFIX [dev DEV] label NUMBER").
type AddrLabelSpec struct {
	// Prefix is the IPv6 prefix the label applies to. Required.
	Prefix netip.Prefix
	// Index restricts the entry to one interface; 0 means every one.
	Index int32
	// Label is the label; not [AddrLabelDefault]. The kernel wants one
	// in a delete too, though it matches only the prefix and interface.
	Label uint32
}

func (s *AddrLabelSpec) validate() error {
	switch {
	case !s.Prefix.IsValid():
		return errors.New("no prefix")
	case !s.Prefix.Addr().Is6():
		return fmt.Errorf("prefix %v is not IPv6: only IPv6 has address labels", s.Prefix)
	case s.Index < 0:
		return fmt.Errorf("invalid interface index %d", s.Index)
	case s.Label == AddrLabelDefault:
		return fmt.Errorf("label %#x is reserved", s.Label)
	}
	return nil
}

func (s *AddrLabelSpec) encode(b *wire.Builder, typ, flags uint16) error {
	if err := s.validate(); err != nil {
		return err
	}
	if hdr := beginMsg(b, typ, flags, sizeofIfAddrlblMsg, unix.AF_INET6, s.Index); hdr != nil {
		hdr[2] = uint8(s.Prefix.Bits())
	}
	b.Uint32(ifalLabel, s.Label) // before the address, as ip sends it
	b.Addr(ifalAddress, s.Prefix.Addr())
	b.End()
	return nil
}

func (s *AddrLabelSpec) opName(verb string) string {
	return fmt.Sprintf("%s prefix %v", verb, s.Prefix)
}

// The address label changes, with the flags of "ip addrlabel".
var (
	addrLabelAddOp = change{"address label add", unix.RTM_NEWADDRLABEL, unix.NLM_F_CREATE | unix.NLM_F_EXCL}
	addrLabelDelOp = change{"address label del", unix.RTM_DELADDRLABEL, 0}
)

type addrLabelRequest = specRequest[AddrLabelSpec, *AddrLabelSpec]

// AddrLabelAdd is the request to add an address label; EEXIST if the
// table has one for the prefix and interface ("ip addrlabel add").
func AddrLabelAdd(s AddrLabelSpec) Request { return &addrLabelRequest{addrLabelAddOp, s} }

// AddrLabelDel is the request to delete the address label of a prefix
// and interface (whatever its label); ESRCH if there is none ("ip addrlabel del").
func AddrLabelDel(s AddrLabelSpec) Request { return &addrLabelRequest{addrLabelDelOp, s} }
