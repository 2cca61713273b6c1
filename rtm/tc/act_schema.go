package tc

import (
	"iter"
	"strings"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/rtm"
)

// Get returns the action's attribute at path, by the names of the
// kernel's tc.yaml (tc-act-attrs, then the kind's tc-act-options-msg):
// "kind", "index", "options" then the kind's attribute ("options",
// "parms", "ifindex" of a mirred action), "stats" then "basic".
func (v ActionView) Get(path ...string) (rtm.Value, bool) {
	return schema.Lookup(tcActAttrsSchema, nil, v.c, specPath(path, v.KindBytes()))
}

// Values yields every attribute of the action by name, as Get names
// them.
func (v ActionView) Values() iter.Seq2[string, rtm.Value] { return schema.All(tcActAttrsSchema, v.c) }

// kindBytes returns the object's kind, aliasing the message.
func (o Object) kindBytes() []byte {
	a, ok := o.get(attrKind)
	if !ok {
		return nil
	}
	b, _ := a.TextBytes()
	return b
}

// specPath accepts a path as tc.yaml spells it too: the kind's name
// after "options", as the sub-message's selector ("options", "u32",
// "classid"), and the spec's hyphens ("key-eth-type" for key_eth_type).
// It allocates only to rewrite such a path.
func specPath(path []string, kind []byte) []string {
	drop := len(path) > 2 && path[0] == "options" && len(kind) > 0 && path[1] == string(kind)
	hyphens := false
	for _, p := range path {
		hyphens = hyphens || strings.Contains(p, "-")
	}
	if !drop && !hyphens {
		return path
	}
	out := make([]string, 0, len(path))
	for i, p := range path {
		if drop && i == 1 {
			continue
		}
		out = append(out, strings.ReplaceAll(p, "-", "_"))
	}
	return out
}
