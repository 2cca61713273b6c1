package wire_test

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/wire"
	"golang.org/x/sys/unix"
)

func Example() {
	// Two requests back to back in one buffer, as a batch.
	var b wire.Builder
	for _, name := range []string{"veth0", "veth1"} {
		b.Begin(unix.RTM_GETLINK, unix.NLM_F_ACK)
		b.Fixed(unix.SizeofIfInfomsg)
		b.String(unix.IFLA_IFNAME, name)
		b.End()
	}
	if err := b.Err(); err != nil {
		panic(err)
	}
	for m, err := range wire.Messages(b.Bytes()) {
		if err != nil {
			panic(err)
		}
		fmt.Println(m.Header.Type == unix.RTM_GETLINK, m.Header.Len, len(m.Data))
	}

	// A kernel error unwraps to its errno.
	var err error = &wire.Error{Errno: unix.ENODEV, Message: "Device not found", Offset: -1, MissingNest: -1}
	fmt.Println(errors.Is(err, unix.ENODEV), err)
	// Output:
	// true 44 28
	// true 44 28
	// true no such device: Device not found
}
