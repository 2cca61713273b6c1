package nltest

import (
	"github.com/ipr-go/ipr/nla"
	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

// GenlController returns a [Handler] of nlctrl's CTRL_CMD_GETFAMILY, to
// register for unix.GENL_ID_CTRL: it resolves each family named in ids
// to its id (version 1, no user header, no multicast groups) and answers
// ENOENT for any other, as the kernel does for a family whose module is
// not loaded. Tests of a generic-netlink family package script the
// family's own requests with another Handler, under its id.
func GenlController(ids map[string]uint16) Handler {
	return func(req wire.Message) ([][]byte, error) {
		if len(req.Data) < unix.GENL_HDRLEN || req.Data[0] != unix.CTRL_CMD_GETFAMILY {
			return nil, unix.EOPNOTSUPP
		}
		a, _ := nla.Chain(req.Data[unix.GENL_HDRLEN:]).Get(unix.CTRL_ATTR_FAMILY_NAME)
		name, _ := a.Text()
		id, ok := ids[name]
		if !ok {
			return nil, unix.ENOENT
		}
		var e nla.Encoder
		hdr := e.Reserve(unix.GENL_HDRLEN)
		hdr[0], hdr[1] = unix.CTRL_CMD_NEWFAMILY, 2
		e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
		e.Uint16(unix.CTRL_ATTR_FAMILY_ID, id)
		e.Uint32(unix.CTRL_ATTR_VERSION, 1)
		e.Uint32(unix.CTRL_ATTR_HDRSIZE, 0)
		return [][]byte{Message(unix.GENL_ID_CTRL, e.Bytes())}, nil
	}
}
