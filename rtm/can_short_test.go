package rtm

import (
	"fmt"
	"testing"

	"github.com/ipr-go/ipr/internal/rawnl"
	"github.com/ipr-go/ipr/nla"
	"golang.org/x/sys/unix"
)

// TestLinkCANShortStructs pins LinkCAN's errors for a CAN struct shorter
// than the kernel's (c9d7874: canShort), each naming the struct, its
// length and the length wanted, and the structs read at their length.
func TestLinkCANShortStructs(t *testing.T) {
	read := func(typ uint16, n int) string {
		in, err := LinkCAN(nla.Chain(rawnl.Attr(typ, make([]byte, n))))
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("ok %v %v %v", in.Settings.CtrlMode, in.TxErrors, in.RxErrors)
	}
	for _, c := range []struct {
		typ  uint16
		n    int
		want string
	}{
		{unix.IFLA_CAN_CTRLMODE, 7, "can data: attribute 5: can_ctrlmode of 7 bytes, want 8"},
		{unix.IFLA_CAN_BERR_COUNTER, 3, "can data: attribute 8: can_berr_counter of 3 bytes, want 4"},
		{unix.IFLA_CAN_BITTIMING, 31, "can data: attribute 1: can_bittiming of 31 bytes, want 32"},
		{unix.IFLA_CAN_DATA_BITTIMING, 0, "can data: attribute 9: can_bittiming of 0 bytes, want 32"},
		{unix.IFLA_CAN_BITTIMING_CONST, 47, "can data: attribute 2: can_bittiming_const of 47 bytes, want 48"},
		{unix.IFLA_CAN_DATA_BITTIMING_CONST, 1, "can data: attribute 10: can_bittiming_const of 1 bytes, want 48"},
		{unix.IFLA_CAN_CTRLMODE, 8, read(0, 0)},
		{unix.IFLA_CAN_BERR_COUNTER, 4, "ok 0 0 0"},
		{unix.IFLA_CAN_BITTIMING, 32, read(0, 0)},
	} {
		if got := read(c.typ, c.n); got != c.want {
			t.Errorf("attribute %d of %d bytes: %s, want %s", c.typ, c.n, got, c.want)
		}
	}
}
