package netns_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ipr-go/ipr/netns"
)

// Handles opened different ways compare equal when they refer to the same
// namespace. Neither opening nor comparing needs privilege.
func Example() {
	current, err := netns.Current()
	if err != nil {
		log.Fatal(err)
	}
	defer current.Close()

	process, err := netns.OpenPID(os.Getpid())
	if err != nil {
		log.Fatal(err)
	}
	defer process.Close()

	fmt.Println(current.Equal(process))

	path, err := netns.Path("blue")
	fmt.Println(path, err)
	_, err = netns.Path("../etc")
	fmt.Println(err)
	// Output:
	// true
	// /run/netns/blue <nil>
	// netns: invalid namespace name "../etc"
}

// Do runs a function inside a namespace, here one named "blue", which
// "ip netns add blue" or netns.Add("blue") created.
func ExampleDo() {
	blue, err := netns.Open("blue")
	if err != nil {
		log.Fatal(err)
	}
	defer blue.Close()

	err = netns.Do(blue, func() error {
		// Sockets opened here belong to "blue".
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}
