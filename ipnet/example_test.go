package ipnet_test

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/ipnet"
)

func Example() {
	n, err := ipnet.ParseNetwork("192.0.2.0/255.255.255.0", true)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, n.BroadcastAddress(), n.NumAddressesString())

	a := ipnet.MustParseAddress("192.0.2.130")
	in, _ := n.Contains(a)
	fmt.Println(in, a.IsPrivate(), a.ReversePointer())

	first, _ := ipnet.ParseAddr4("192.0.2.0")
	last, _ := ipnet.ParseAddr4("192.0.2.130")
	nets, _ := ipnet.SummarizeAddressRange4(first, last)
	for s := range nets {
		fmt.Println(s)
	}

	_, err = ipnet.ParseAddr4("192.0.2.01")
	fmt.Println(err, errors.Is(err, ipnet.ErrValue))

	_, err = n.Contains(ipnet.MustParseAddress("2001:db8::1"))
	fmt.Println(err)
	// Output:
	// 192.0.2.0/24 192.0.2.255 256
	// true true 130.2.0.192.in-addr.arpa
	// 192.0.2.0/25
	// 192.0.2.128/31
	// 192.0.2.130/32
	// Leading zeros are not permitted in '01' in '192.0.2.01' true
	// 192.0.2.0/24 and 2001:db8::1 are not of the same version
}

func ExampleNet6_AddressExclude() {
	n := ipnet.MustParseNet6("2001:db8::/126")
	rest, err := n.AddressExclude(ipnet.MustParseNet6("2001:db8::2/128"))
	if err != nil {
		panic(err)
	}
	for r := range rest {
		fmt.Println(r)
	}
	// Output:
	// 2001:db8::/127
	// 2001:db8::3/128
}

func ExampleCollapseAddresses4() {
	nets := []ipnet.Net4{
		ipnet.MustParseNet4("192.0.2.0/25"),
		ipnet.MustParseNet4("192.0.2.128/25"),
		ipnet.MustParseNet4("198.51.100.0/24"),
	}
	addrs := []ipnet.Addr4{ipnet.MustParseAddr4("198.51.101.0")}
	for n := range ipnet.CollapseAddresses4(addrs, nets) {
		fmt.Println(n)
	}
	// Output:
	// 192.0.2.0/24
	// 198.51.100.0/24
	// 198.51.101.0/32
}

func ExampleAddr4_Format() {
	a := ipnet.MustParseAddr4("192.0.2.1")
	for _, spec := range []string{"#_x", "b", ">12s"} {
		s, err := a.Format(spec)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q\n", s)
	}
	// Output:
	// "0xc000_0201"
	// "11000000000000000000001000000001"
	// "   192.0.2.1"
}

func ExampleIface4_Add() {
	i := ipnet.MustParseIface4("192.0.2.5/24")
	next, err := i.Add(1)
	if err != nil {
		panic(err)
	}
	fmt.Println(next, i.ReversePointer())
	// Output:
	// 192.0.2.6/32 5/24.2.0.192.in-addr.arpa
}
