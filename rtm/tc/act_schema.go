package tc

import (
	"iter"

	"github.com/ipr-go/ipr/internal/schema"
	"github.com/ipr-go/ipr/rtm"
)

// Get returns the action's attribute at path, by the names of the
// kernel's tc.yaml (tc-act-attrs, then the kind's tc-act-options-msg):
// "kind", "index", "options" then the kind's attribute ("options",
// "parms", "ifindex" of a mirred action), "stats" then "basic".
func (v ActionView) Get(path ...string) (rtm.Value, bool) {
	return schema.Lookup(tcActAttrsSchema, nil, v.c, path)
}

// Values yields every attribute of the action by name, as Get names
// them.
func (v ActionView) Values() iter.Seq2[string, rtm.Value] { return schema.All(tcActAttrsSchema, v.c) }
