package tc

import (
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/rtm"
)

// Get returns the attribute at path, by the names of the kernel's
// tc.yaml (generated into zynl_tc.go): "kind", "options" then the kind's
// attribute ("options", "parms" of an htb class), "stats2", "basic".
// Options of the kinds whose payload starts with a structure (fifo,
// netem, prio, sfq) read as bytes: decode them with the kind's type.
// tc.yaml's spellings read too: ("options", "flower", "key-eth-type").
// A filter's actions read by position: ("options", "act", "1", "kind").
func (o Object) Get(path ...string) (rtm.Value, bool) {
	return schema.Lookup(tcAttrsSchema, o.idx, o.Attrs(), specPath(path, o.kindBytes()))
}

// Values yields every attribute of the object by name, as Get names
// them.
func (o Object) Values() iter.Seq2[string, rtm.Value] { return schema.All(tcAttrsSchema, o.Attrs()) }
