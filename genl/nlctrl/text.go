package nlctrl

import (
	"fmt"
	"io"
	"strings"

	"github.com/ipr-go/ipr/genl"
	"golang.org/x/sys/unix"
)

// WriteFamily writes f as iproute2's `genl ctrl list` (and `genl ctrl
// get`) prints a family, byte for byte (iproute2 6.1): the families of a
// Families dump, written one after the other, are that command's output.
// As genl does, it prints operations' capabilities only for a family of
// version 2 or later.
func WriteFamily(w io.Writer, f genl.Family) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nName: %s\n", f.Name)
	fmt.Fprintf(&b, "\tID: 0x%x  Version: 0x%x  header size: %d  max attribs: %d \n", f.ID, f.Version, f.HeaderSize, f.MaxAttr)
	if len(f.Ops) > 0 {
		b.WriteString("\tcommands supported: \n")
		for i, o := range f.Ops {
			fmt.Fprintf(&b, "\t\t#%d:  ID-0x%x ", i+1, o.ID)
			if f.Version >= 2 {
				fmt.Fprintf(&b, "\n\t\tCapabilities (0x%x):\n ", o.Flags)
				if o.Flags != 0 {
					b.WriteString("\t\t ")
					for _, c := range []struct {
						bit  uint32
						text string
					}{
						{unix.GENL_ADMIN_PERM, " requires admin permission;"},
						{unix.GENL_CMD_CAP_DO, " can doit;"},
						{unix.GENL_CMD_CAP_DUMP, " can dumpit;"},
						{unix.GENL_CMD_CAP_HASPOL, " has policy"},
					} {
						if o.Flags&c.bit != 0 {
							b.WriteString(c.text)
						}
					}
				}
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	if len(f.Groups) > 0 {
		b.WriteString("\tmulticast groups:\n")
		for i, g := range f.Groups {
			fmt.Fprintf(&b, "\t\t#%d:  ID-0x%x  name: %s \n", i+1, g.ID, g.Name)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
