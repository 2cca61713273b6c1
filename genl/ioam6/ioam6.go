package ioam6

import (
	"context"
	"fmt"
	"iter"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/nla"
)

// Namespaces lists the IOAM namespaces (IOAM6_CMD_DUMP_NAMESPACES). Each
// view is valid until the next iteration; iterating allocates nothing
// per namespace.
func Namespaces(ctx context.Context, h *genl.Handle) iter.Seq2[Namespace, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdDumpNamespaces}, ParseNamespace)
}

// Schemas lists the IOAM schemas (IOAM6_CMD_DUMP_SCHEMAS). Each view is
// valid until the next iteration; iterating allocates nothing per
// schema.
func Schemas(ctx context.Context, h *genl.Handle) iter.Seq2[Schema, error] {
	return genl.DumpFamily(ctx, h, FamilyName, genl.Request{Command: CmdDumpSchemas}, ParseSchema)
}

// NamespaceSpec describes a namespace to add: a nil field is data the
// namespace does not have.
type NamespaceSpec struct {
	// ID is the namespace's id.
	ID uint16
	// Data, if not nil, is the data (four bytes) the node writes for the
	// namespace.
	Data *uint32
	// DataWide, if not nil, is the wide data (eight bytes).
	DataWide *uint64
}

// AddNamespace is the request that adds the namespace s. A kernel that
// has a namespace of that id refuses it (EEXIST).
func AddNamespace(s NamespaceSpec) genl.Request {
	// ip's order: id, data, wide data.
	return genl.Request{Command: CmdAddNamespace, Attrs: func(e *nla.Encoder) {
		e.Uint16(AttrNsID, s.ID)
		if s.Data != nil {
			e.Uint32(AttrNsData, *s.Data)
		}
		if s.DataWide != nil {
			e.Uint64(AttrNsDataWide, *s.DataWide)
		}
	}}
}

// DeleteNamespace is the request that deletes the namespace id (ENOENT
// when there is none), detaching its schema.
func DeleteNamespace(id uint16) genl.Request {
	return genl.Request{Command: CmdDelNamespace, Attrs: func(e *nla.Encoder) { e.Uint16(AttrNsID, id) }}
}

// AddSchema is the request that adds the schema id with data, at most
// SchemaDataMaxLen bytes (the kernel pads it to a multiple of four). A
// kernel that has a schema of that id refuses it (EEXIST). The data is
// copied.
func AddSchema(id uint32, data []byte) (genl.Request, error) {
	if len(data) > SchemaDataMaxLen {
		return genl.Request{}, fmt.Errorf("ioam6: %w: schema data of %d bytes, more than %d", ErrInvalid, len(data), SchemaDataMaxLen)
	}
	data = append([]byte{}, data...)
	return genl.Request{Command: CmdAddSchema, Attrs: func(e *nla.Encoder) {
		e.Uint32(AttrScID, id)
		e.Binary(AttrScData, data)
	}}, nil
}

// DeleteSchema is the request that deletes the schema id (ENOENT when
// there is none), detaching it from its namespace.
func DeleteSchema(id uint32) genl.Request {
	return genl.Request{Command: CmdDelSchema, Attrs: func(e *nla.Encoder) { e.Uint32(AttrScID, id) }}
}

// SetNamespaceSchema is the request that attaches the schema schema to
// the namespace ns, in place of the one it had (the schema leaves the
// namespace it was attached to). Either missing is ENOENT.
func SetNamespaceSchema(ns uint16, schema uint32) genl.Request {
	return genl.Request{Command: CmdNsSetSchema, Attrs: func(e *nla.Encoder) {
		e.Uint16(AttrNsID, ns)
		e.Uint32(AttrScID, schema)
	}}
}

// DetachNamespaceSchema is the request that leaves the namespace ns
// without a schema (ENOENT when there is no such namespace).
func DetachNamespaceSchema(ns uint16) genl.Request {
	return genl.Request{Command: CmdNsSetSchema, Attrs: func(e *nla.Encoder) {
		e.Uint16(AttrNsID, ns)
		e.Flag(AttrScNone)
	}}
}

// Family resolves the IOAM6 family on h (cached by the handle).
func Family(ctx context.Context, h *genl.Handle) (*genl.Family, error) {
	return h.Family(ctx, FamilyName)
}

// Do resolves the IOAM6 family and sends reqs, one by one when there is
// one, pipelined otherwise (the error is then the first failure's).
func Do(ctx context.Context, h *genl.Handle, reqs ...genl.Request) error {
	return h.DoFamily(ctx, FamilyName, reqs...)
}
