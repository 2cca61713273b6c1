// Package fuzz holds the fuzz targets of ipr, one file per package under
// test, with seed corpora under testdata/fuzz. Seeds named kernel-* are real
// kernel replies recorded by internal/capture (see scripts/capture.sh);
// they are in little-endian byte order. The genl targets take their
// seeds from genl's, genl/nlctrl's and genl/ethtool's recorded conversations
// (testdata/conv), the kernel replies those packages' tests replay.
//
// Run every target briefly with scripts/fuzz.sh, or one at length with
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzWireMessages$' -fuzztime 10m
package fuzz
