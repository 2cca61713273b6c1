package rtm

import (
	"testing"
	"unsafe"
)

// TestViewsAreFourWords guards the dumps' speed: the compiler keeps a
// struct of up to four words in registers and copies a larger one through
// memory at every accessor call, which made route dumps read through
// accessors 1.6 times as slow when views grew a fifth word.
func TestViewsAreFourWords(t *testing.T) {
	const limit = 4 * unsafe.Sizeof(uintptr(0))
	sizes := map[string]uintptr{
		"Link": unsafe.Sizeof(Link{}), "Addr": unsafe.Sizeof(Addr{}),
		"Route": unsafe.Sizeof(Route{}), "Neigh": unsafe.Sizeof(Neigh{}),
		"Rule": unsafe.Sizeof(Rule{}), "Nexthop": unsafe.Sizeof(Nexthop{}),
		"NeighTable": unsafe.Sizeof(NeighTable{}), "MDB": unsafe.Sizeof(MDB{}),
		"LinkStats": unsafe.Sizeof(LinkStats{}), "Netconf": unsafe.Sizeof(Netconf{}),
	}
	for name, size := range sizes {
		if size > limit {
			t.Errorf("%s is %d bytes; views must stay within %d", name, size, limit)
		}
	}
}
