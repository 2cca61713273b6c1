package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
	"github.com/ipr-go/ipr/nltest"
)

// replayCommands are the show commands whose output TestReplayShow
// compares with iproute2's, both recorded once from the same namespace.
var replayCommands = []string{
	"link show",
	"-d link show",
	"link show dev v0",
	"-d link show type vxlan",
	"addr show",
	"-d addr show",
	"-6 addr show",
	"addr show dev v0",
	"route show",
	"-6 route show",
	"route show table all",
}

// replayIP is what iproute2 printed for each command when the
// conversation was recorded.
type replayIP struct {
	JSON map[string]string `json:"json"`
	Text map[string]string `json:"text"`
}

// TestReplayShow runs show commands over a recorded conversation with the
// kernel and compares what ipr prints with what "ip -j" (and, for
// routes, "ip") printed from the same namespace when it was recorded:
// the printing is checked without root. NLTEST_RECORD=1 (as root;
// scripts/capture.sh) records both anew.
func TestReplayShow(t *testing.T) {
	dir := filepath.Join("testdata", "conv")
	conv, golden := filepath.Join(dir, "show.nlconv"), filepath.Join(dir, "show-ip.json")
	transport = nltest.Conversation(t, conv)
	t.Cleanup(func() { transport = nil })

	var ip replayIP
	var prefix []string
	if nltest.Recording() {
		ns := variedNamespace(t)
		prefix = []string{"-n", ns.Name}
		ip = replayIP{JSON: map[string]string{}, Text: map[string]string{}}
		for _, cmd := range replayCommands {
			ip.JSON[cmd] = nstest.IP(t, ns, append([]string{"-j"}, strings.Fields(cmd)...)...)
			if strings.HasPrefix(cmd, "route") || strings.Contains(cmd, " route") {
				ip.Text[cmd] = nstest.IP(t, ns, strings.Fields(cmd)...)
			}
		}
		b, err := json.MarshalIndent(ip, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &ip); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range replayCommands {
		args := append(append([]string(nil), prefix...), strings.Fields(cmd)...)
		ours := iprOK(t, append([]string{"-j"}, args...)...)
		compareJSON(t, maskExpires(ours), maskExpires(ip.JSON[cmd]))
		if theirs, ok := ip.Text[cmd]; ok {
			if ours := iprOK(t, args...); maskExpires(ours) != maskExpires(theirs) {
				t.Errorf("%s: text differs\nipr:\n%s\nip:\n%s", cmd, ours, theirs)
			}
		}
	}
}
