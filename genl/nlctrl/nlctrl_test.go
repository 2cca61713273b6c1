package nlctrl_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipr-go/ipr/genl"
	"github.com/ipr-go/ipr/genl/nlctrl"
	"github.com/ipr-go/ipr/internal/genltest"
	"github.com/ipr-go/ipr/internal/gentest"
	"github.com/ipr-go/ipr/internal/nstest"
	"golang.org/x/sys/unix"
)

func dialNS(t *testing.T) (*genl.Handle, *nstest.NS) {
	t.Helper()
	return genltest.DialNS(t)
}

// format prints a family the way this test reads `genl ctrl list`: name,
// id, version, header size, max attributes, operations with their flags,
// groups.
func format(f genl.Family) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s id=%#x version=%#x hdrsize=%d maxattr=%d", f.Name, f.ID, f.Version, f.HeaderSize, f.MaxAttr)
	for _, o := range f.Ops {
		fmt.Fprintf(&b, " op=%#x/%#x", o.ID, o.Flags)
	}
	for _, g := range f.Groups {
		fmt.Fprintf(&b, " group=%#x/%s", g.ID, g.Name)
	}
	return b.String()
}

var (
	reName  = regexp.MustCompile(`^Name: (\S+)`)
	reID    = regexp.MustCompile(`ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`)
	reOp    = regexp.MustCompile(`^#\d+:\s+ID-(0x[0-9a-f]+)`)
	reCap   = regexp.MustCompile(`^Capabilities \((0x[0-9a-f]+)\)`)
	reGroup = regexp.MustCompile(`^#\d+:\s+ID-(0x[0-9a-f]+)\s+name: (\S+)`)
)

// noCaps marks an operation `genl ctrl list` printed no capabilities for
// (it prints them for some families only).
const noCaps = ^uint32(0)

// parseGenl reads `genl ctrl list`.
func parseGenl(t *testing.T, out string) []genl.Family {
	var fams []genl.Family
	var f *genl.Family
	inGroups := false
	num := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			t.Fatalf("genl ctrl list: %q: %v", s, err)
		}
		return v
	}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if m := reName.FindStringSubmatch(line); m != nil {
			fams = append(fams, genl.Family{Name: m[1]})
			f, inGroups = &fams[len(fams)-1], false
			continue
		}
		if f == nil {
			continue
		}
		switch {
		case reID.MatchString(line):
			m := reID.FindStringSubmatch(line)
			f.ID, f.Version = uint16(num(m[1])), uint32(num(m[2]))
			f.HeaderSize, f.MaxAttr = uint32(num(m[3])), uint32(num(m[4]))
		case strings.HasPrefix(line, "multicast groups:"):
			inGroups = true
		case inGroups && reGroup.MatchString(line):
			m := reGroup.FindStringSubmatch(line)
			f.Groups = append(f.Groups, genl.Group{ID: uint32(num(m[1])), Name: m[2]})
		case !inGroups && reOp.MatchString(line):
			f.Ops = append(f.Ops, genl.Op{ID: uint32(num(reOp.FindStringSubmatch(line)[1])), Flags: noCaps})
		case reCap.MatchString(line) && len(f.Ops) > 0:
			f.Ops[len(f.Ops)-1].Flags = uint32(num(reCap.FindStringSubmatch(line)[1]))
		}
	}
	return fams
}

// TestFamiliesMatchGenl compares Families with what iproute2's
// `genl ctrl list` prints, run in the same namespace.
func TestFamiliesMatchGenl(t *testing.T) {
	h, ns := dialNS(t)
	if _, err := exec.LookPath("genl"); err != nil {
		t.Skip("iproute2's genl command is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ip", "netns", "exec", ns.Name, "genl", "ctrl", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("genl ctrl list: %v\n%s", err, out)
	}
	printed := map[string]genl.Family{}
	var want, got []string
	for _, f := range parseGenl(t, string(out)) {
		printed[f.Name] = f
		want = append(want, format(f))
	}
	for f, err := range nlctrl.Families(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		// Where genl printed no capabilities, compare none.
		if p, ok := printed[f.Name]; ok && len(p.Ops) == len(f.Ops) {
			for i := range f.Ops {
				if p.Ops[i].Flags == noCaps {
					f.Ops[i].Flags = noCaps
				}
			}
		}
		got = append(got, format(f))
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 2 || !slices.Equal(got, want) {
		t.Errorf("Families:\n%s\ngenl ctrl list:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPolicy dumps nlctrl's own policies and asks what it accepts.
func TestPolicy(t *testing.T) {
	h, _ := dialNS(t)
	ctx := context.Background()
	p, err := nlctrl.Policy(ctx, h, "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	if p.Family != unix.GENL_ID_CTRL {
		t.Errorf("policy of family %#x, want %#x", p.Family, unix.GENL_ID_CTRL)
	}
	if !p.Accepts(nlctrl.CtrlCmdGetfamily, nlctrl.CtrlAttrFamilyName) {
		t.Errorf("CTRL_CMD_GETFAMILY does not accept CTRL_ATTR_FAMILY_NAME: %+v", p)
	}
	if p.Accepts(nlctrl.CtrlCmdGetfamily, 200) {
		t.Error("CTRL_CMD_GETFAMILY accepts attribute 200")
	}
	// GETPOLICY only dumps: the kernel numbers its entry 0, which Policy
	// puts back under its command.
	if op, ok := p.Ops[nlctrl.CtrlCmdGetpolicy]; !ok || op.Do != -1 || op.Dump < 0 {
		t.Errorf("CTRL_CMD_GETPOLICY's policies: %+v, %v; ops %v", op, ok, p.Ops)
	}
	if !p.Accepts(nlctrl.CtrlCmdGetpolicy, nlctrl.CtrlAttrOp) {
		t.Error("CTRL_CMD_GETPOLICY does not accept CTRL_ATTR_OP")
	}
	op := p.Ops[nlctrl.CtrlCmdGetfamily]
	ap := p.Policies[uint32(op.Do)][nlctrl.CtrlAttrFamilyName]
	if ap.Type != nlctrl.NlctrlAttrTypeNulString || ap.MaxLength == 0 {
		t.Errorf("CTRL_ATTR_FAMILY_NAME's policy: %+v, want a NUL string with a maximum length", ap)
	}
	if ap := p.Policies[uint32(op.Do)][nlctrl.CtrlAttrFamilyID]; ap.Type != nlctrl.NlctrlAttrTypeU16 {
		t.Errorf("CTRL_ATTR_FAMILY_ID's policy: %+v, want u16", ap)
	}
	_, err = nlctrl.Policy(ctx, h, "nosuchfamily")
	if !errors.Is(err, genl.ErrFamilyNotFound) || !errors.Is(err, unix.ENOENT) {
		t.Errorf("Policy(nosuchfamily): %v, want ErrFamilyNotFound", err)
	}
}

// TestGenerated checks that zynl_nlctrl.go is exactly what tools/gen
// writes from the pinned spec (scripts/gen.sh -check does it for every
// generated file).
func TestGenerated(t *testing.T) {
	gentest.YNL(t, "specs/nlctrl.yaml", "nlctrl", "-consts")
}

// TestWriteFamilyMatchesGenl checks that the families of a dump, written
// with WriteFamily, are `genl ctrl list`'s output byte for byte, in a
// throwaway namespace (whose view lacks the families that are not
// namespace-aware: thermal, VFS_DQUOT; see TestWriteFamilyVersion2).
func TestWriteFamilyMatchesGenl(t *testing.T) {
	if _, err := exec.LookPath("genl"); err != nil {
		t.Skip("iproute2's genl command is not installed")
	}
	h, ns := dialNS(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	want, err := exec.CommandContext(ctx, "ip", "netns", "exec", ns.Name, "genl", "ctrl", "list").Output()
	if err != nil {
		t.Fatalf("genl ctrl list: %v", err)
	}
	var got strings.Builder
	for f, err := range nlctrl.Families(ctx, h) {
		if err != nil {
			t.Fatal(err)
		}
		if err := nlctrl.WriteFamily(&got, f); err != nil {
			t.Fatal(err)
		}
	}
	if got.String() != string(want) {
		t.Errorf("WriteFamily:\n%q\ngenl ctrl list:\n%q", got.String(), want)
	}
}

// TestWriteFamilyVersion2 checks a family of version 2 with groups
// against iproute2 6.1's genl output on Linux 6.18, in the root
// namespace: thermal's header and first two operations as it printed
// them, with a group line in the form it printed VFS_DQUOT's.
func TestWriteFamilyVersion2(t *testing.T) {
	f := genl.Family{Name: "thermal", ID: 0x13, Version: 2, MaxAttr: 27,
		Ops:    []genl.Op{{ID: 1, Flags: unix.GENL_CMD_CAP_DUMP}, {ID: 2, Flags: unix.GENL_CMD_CAP_DO | unix.GENL_CMD_CAP_HASPOL}},
		Groups: []genl.Group{{Name: "events", ID: 0x12}}}
	const want = "\nName: thermal\n" +
		"\tID: 0x13  Version: 0x2  header size: 0  max attribs: 27 \n" +
		"\tcommands supported: \n" +
		"\t\t#1:  ID-0x1 \n\t\tCapabilities (0x4):\n \t\t  can dumpit;\n\n" +
		"\t\t#2:  ID-0x2 \n\t\tCapabilities (0xa):\n \t\t  can doit; has policy\n\n" +
		"\n" +
		"\tmulticast groups:\n" +
		"\t\t#1:  ID-0x12  name: events \n" +
		"\n"
	var b strings.Builder
	if err := nlctrl.WriteFamily(&b, f); err != nil || b.String() != want {
		t.Errorf("WriteFamily = %q, %v\nwant %q", b.String(), err, want)
	}
}
