package rtm

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
)

// OpenKind is a link kind given by name with its IFLA_INFO_DATA as raw
// attributes: the way to create or change a kind this package has no
// type for (a new kernel's, an out-of-tree driver's). Build Data with an
// [nla.Encoder]; read a link's back with [Link.KindData], whose chain
// has the same layout.
//
//	var e nla.Encoder
//	e.Uint32(1, 42) // the kind's attribute 1
//	spec := rtm.LinkSpec{Name: "x0", Kind: &rtm.OpenKind{Name: "mykind", Data: nla.Chain(e.Bytes())}}
type OpenKind struct {
	// Name is the kernel's name of the kind (IFLA_INFO_KIND).
	Name string
	// Data is the attribute chain sent as IFLA_INFO_DATA; empty sends
	// none.
	Data nla.Chain
}

// Kind returns k.Name.
func (k *OpenKind) Kind() string { return k.Name }

func (k *OpenKind) validate(c *linkCtx) error { return validateOpen(k.Name, k.Data) }

func (k *OpenKind) encodeData(c *linkCtx) { appendRaw(c.b, k.Data) }

// OpenPort is a link's settings as a port of its master given as raw
// attributes (IFLA_INFO_SLAVE_DATA), for masters this package has no port
// type for. Read them back with [Link.PortData].
type OpenPort struct {
	// Kind is the master's kind, such as "bond"; the request names it
	// Kind+"_slave", as the kernel expects.
	Kind string
	// Data is the attribute chain sent as IFLA_INFO_SLAVE_DATA.
	Data nla.Chain
}

// PortKind returns p.Kind.
func (p *OpenPort) PortKind() string { return p.Kind }

func (p *OpenPort) validate() error { return validateOpen(p.Kind, p.Data) }

func (p *OpenPort) encodeData(b *wire.Builder) { appendRaw(b, p.Data) }

// maxKindLen bounds kind names: the kernel's are short (MODULE_NAME_LEN
// bounds the "rtnl-link-KIND" module alias it loads).
const maxKindLen = 48

func validateOpen(name string, data nla.Chain) error {
	if name == "" {
		return errors.New("open kind: empty kind name")
	}
	if len(name) > maxKindLen {
		return fmt.Errorf("open kind: kind name of %d bytes is longer than %d", len(name), maxKindLen)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("open kind: kind name %q contains %q", name, c)
		}
	}
	if err := data.Err(); err != nil {
		return fmt.Errorf("open kind %s: malformed data: %w", name, err)
	}
	if len(data) > 0xffff-2*nla.Align(4) {
		return fmt.Errorf("open kind %s: %d bytes of data do not fit an attribute", name, len(data))
	}
	return nil
}

// appendRaw appends an attribute chain as it is, padded.
func appendRaw(b *wire.Builder, data nla.Chain) {
	if len(data) == 0 {
		return
	}
	copy(b.Reserve(len(data)), data)
}
