package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ipr-go/ipr/internal/nstest"
)

// keepOnly is a mask for sameAsIP that keeps the lines keep accepts.
func keepOnly(keep func(line string) bool) func(string) string {
	return func(s string) string { return keepLines(s, keep) }
}

func keepLines(s string, keep func(string) bool) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if line != "" && keep(line) {
			b.WriteString(line)
		}
	}
	return b.String()
}

// sameNetnsAsIP is sameAsIP for the namespaces' own listings, which
// other test binaries running at the same time change between the two
// runs (a JSON listing is one line, which mask cannot thin out): a
// difference counts when it shows three times in a row, as a real one
// does.
func sameNetnsAsIP(t *testing.T, mask func(string) string, args ...string) {
	t.Helper()
	var diff string
	for range 3 {
		if diff = diffFromIP(t, nil, "", mask, args...); diff == "" {
			return
		}
	}
	t.Error(diff)
}

// TestNetnsMatchesIP compares "netns" commands with ip's: listings and ids
// of namespaces this test names, the failures of each command, and the
// state that ipr's add, set, attach and delete leave, as ip sees it.
func TestNetnsMatchesIP(t *testing.T) {
	nstest.RequirePrivileged(t)
	a, b := nstest.New(t), nstest.New(t)
	if _, errs, code := ipRun(t, nil, "", "netns", "set", a.Name, "auto"); code != 0 {
		t.Fatalf("ip netns set: %s", errs)
	}
	mine := func(line string) bool {
		return strings.Contains(line, a.Name) || strings.Contains(line, b.Name) || strings.Contains(line, "ipr-cli-")
	}
	for _, cmd := range []string{
		"netns", "netns list", "netns show", "-j netns", "-j -p netns list", "netns list-id", "-j netns list-id",
		"netns help", "netns frob", "netns add a/b", "netns add", "netns del", "netns delete ipr-cli-missing",
		"netns identify abc", "netns identify 1 2", "netns pids", "netns pids a b", "netns pids ipr-cli-missing",
		"netns set", "netns set x", "netns set x -3", "netns set x abc", "netns set ipr-cli-missing 3",
		"netns exec", "netns exec x", "netns attach x", "netns attach x abc", "netns attach x 0",
		"netns list-id foo", "netns list-id nsid", "netns list-id nsid -1", "netns list-id nsid -1 x",
		"netns list-id target-nsid x", "netns list-id nsid 1000", "netns list-id target-nsid 1000",
		"-n " + a.Name + " netns", "-n " + a.Name + " netns list-id",
		"netns set " + a.Name + " 7", // taken
	} {
		sameNetnsAsIP(t, keepOnly(mine), strings.Fields(cmd)...)
	}
	// Ids: ipr sets b's, and ip and ipr then list the same.
	if _, errs, code := iprIn(nil, "", "netns", "set", b.Name, "auto"); code != 0 {
		t.Fatalf("ipr netns set %s auto: exit %d, %s", b.Name, code, errs)
	}
	for _, cmd := range []string{"netns", "-j netns", "netns list-id", "-j netns list-id"} {
		sameNetnsAsIP(t, keepOnly(mine), strings.Fields(cmd)...)
	}
	out, _, _ := ipRun(t, nil, "", "-j", "netns", "list-id")
	for _, id := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		if strings.Contains(out, `"nsid":`+id+`,"name":"`+a.Name+`"`) {
			sameAsIP(t, nil, nil, "netns", "list-id", "nsid", id)
			sameAsIP(t, nil, nil, "netns", "list-id", "target-nsid", id)
		}
	}

	// add, identify, pids, exec, attach, delete.
	name := fmt.Sprintf("ipr-cli-%d", os.Getpid())
	if _, errs, code := iprIn(nil, "", "netns", "add", name); code != 0 {
		t.Fatalf("ipr netns add: exit %d, %s", code, errs)
	}
	defer exec.Command("ip", "netns", "delete", name).Run()
	sameAsIP(t, nil, nil, "netns", "add", name)
	sameAsIP(t, nil, keepOnly(mine), "netns")
	sameAsIP(t, nil, nil, "netns", "pids", name)
	sameAsIP(t, nil, nil, "netns", "identify")
	sleeper := exec.Command("ip", "netns", "exec", name, "sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer sleeper.Wait()
	defer sleeper.Process.Kill()
	pid := fmt.Sprint(sleeper.Process.Pid)
	for range 1000 {
		if out, _, _ := ipRun(t, nil, "", "netns", "identify", pid); out == name+"\n" {
			break
		}
	}
	sameAsIP(t, nil, nil, "netns", "identify", pid)
	sameAsIP(t, nil, nil, "netns", "pids", name)
	attached := name + "-attached"
	if _, errs, code := iprIn(nil, "", "netns", "attach", attached, pid); code != 0 {
		t.Fatalf("ipr netns attach: exit %d, %s", code, errs)
	}
	defer exec.Command("ip", "netns", "delete", attached).Run()
	sameAsIP(t, nil, nil, "netns", "attach", attached, pid)
	if out, _, _ := ipRun(t, nil, "", "netns", "identify", pid); !strings.Contains(out, name) {
		t.Errorf("ip netns identify %s = %q after ipr netns attach", pid, out)
	}
	if _, errs, code := iprIn(nil, "", "netns", "delete", attached); code != 0 {
		t.Errorf("ipr netns delete: exit %d, %s", code, errs)
	}
	sameAsIP(t, nil, nil, "netns", "delete", attached)

	// exec replaces the process: run ipr as one.
	for _, argv := range [][]string{
		{"netns", "exec", name, "ip", "-j", "link"},
		{"netns", "exec", name, "sh", "-c", "ls /sys/class/net; exit 3"},
		{"netns", "exec", name, "./ipr-cli-no-such-command"},
		{"netns", "exec", "ipr-cli-missing", "true"},
	} {
		cmd := exec.Command(os.Args[0], argv...)
		cmd.Env = append(os.Environ(), cliMainEnv+"=1")
		out, errs, code := runCmd(t, cmd, "")
		ipOut, ipErrs, ipCode := ipRun(t, nil, "", argv...)
		if out != ipOut || errs != ipErrs || code != ipCode {
			t.Errorf("%s:\nipr (exit %d): %q %q\nip  (exit %d): %q %q",
				strings.Join(argv, " "), code, out, errs, ipCode, ipOut, ipErrs)
		}
	}
	// In a batch, exec runs a child and the batch goes on.
	batch := "netns exec " + name + " ip link show lo\nnetns exec " + name + " false\nnetns exec " + name + " echo hi\n"
	for _, force := range [][]string{{"-batch", "-"}, {"-force", "-batch", "-"}} {
		cmd := exec.Command(os.Args[0], force...)
		cmd.Env = append(os.Environ(), cliMainEnv+"=1")
		out, errs, code := runCmd(t, cmd, batch)
		ipOut, ipErrs, ipCode := runCmd(t, exec.Command("ip", force...), batch)
		if out != ipOut || errs != ipErrs || code != ipCode {
			t.Errorf("batch %v:\nipr (exit %d): %q %q\nip  (exit %d): %q %q", force, code, out, errs, ipCode, ipOut, ipErrs)
		}
	}

	if _, errs, code := iprIn(nil, "", "netns", "delete", name); code != 0 {
		t.Errorf("ipr netns delete: exit %d, %s", code, errs)
	}
	if out, _, _ := ipRun(t, nil, "", "netns"); strings.Contains(out, name+"\n") {
		t.Errorf("ip netns lists %s after ipr netns delete", name)
	}
}
