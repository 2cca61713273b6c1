package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestBridgeLinkSetMatchesBridgeRequests runs each "bridge link set" of
// testdata/golden_bridgelink (bridge 6.1's requests, recorded with strace
// by scripts/golden_bridgelink.sh: hwmode, self, master, learning_sync and
// every port setting, with the values bridge leaves out or wraps) through
// ipr against a fake kernel and compares ipr's request with bridge's,
// byte for byte. It needs no privileges.
func TestBridgeLinkSetMatchesBridgeRequests(t *testing.T) {
	path := "testdata/golden_bridgelink/bridge.txt"
	if n := matchCapturedRequests(t, path, "bridge", unix.RTM_SETLINK, nil); n < 10 {
		t.Fatalf("only %d captures compared", n)
	}
}
