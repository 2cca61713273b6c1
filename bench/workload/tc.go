package workload

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"

	"github.com/ipr-go/ipr/rtm/tc"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// The htb class dump: an htb qdisc with HTBClasses classes on a veth of
// its own (tcb0) in the benchmark namespace, dumped whole. Each
// contestant reads every class's handle, parent and rate.

// HTBClasses is the number of classes the htb-class-dump workload dumps.
const HTBClasses = 10000

func init() {
	register("htb-class-dump", "ipr", iprHTBClassDump)
	register("htb-class-dump", "raw", rawHTBClassDump)
	register("htb-class-dump", "vishvananda", vnHTBClassDump)
}

var htbSetup struct {
	sync.Mutex
	done map[string]bool
}

// setupHTB adds tcb0 and its classes to the namespace, once.
func setupHTB(ns string) error {
	htbSetup.Lock()
	defer htbSetup.Unlock()
	if htbSetup.done[ns] {
		return nil
	}
	if out, err := exec.Command("ip", "-n", ns, "link", "add", "tcb0", "type", "veth", "peer", "name", "tcb1").CombinedOutput(); err != nil &&
		!strings.Contains(string(out), "File exists") {
		return fmt.Errorf("htb setup: %v: %s", err, out)
	}
	var b strings.Builder
	b.WriteString("qdisc replace dev tcb0 root handle 1: htb\n")
	for i := 1; i <= HTBClasses; i++ {
		fmt.Fprintf(&b, "class replace dev tcb0 parent 1: classid 1:%x htb rate %dkbit\n", i, 100+i)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, "tc", "-batch", "-")
	cmd.Stdin = strings.NewReader(b.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("htb setup: tc -batch: %v: %s", err, out)
	}
	if htbSetup.done == nil {
		htbSetup.done = map[string]bool{}
	}
	htbSetup.done[ns] = true
	return nil
}

func htbIndex(ns string) (int32, error) {
	c, err := rawDial(ns, 0)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.linkIndex("tcb0")
}

func iprHTBClassDump(env *Env) (*Instance, error) {
	if err := setupHTB(env.NS); err != nil {
		return nil, err
	}
	h, index, err := iprDialDevice(env, "tcb0")
	if err != nil {
		return nil, err
	}
	f := tc.ClassFilter{Ifindex: index}
	run := func() (Result, error) {
		n := 0
		for c, err := range tc.Classes(bg, h, f) {
			if err != nil {
				return Result{}, err
			}
			sink += uint64(c.Handle()) + uint64(c.Parent()) + uint64(len(c.Options()))
			n++
		}
		return Result{Count: n}, nil
	}
	return single("dump", run, h.Close), nil
}

func rawHTBClassDump(env *Env) (*Instance, error) {
	if err := setupHTB(env.NS); err != nil {
		return nil, err
	}
	index, err := htbIndex(env.NS)
	if err != nil {
		return nil, err
	}
	c, err := rawDial(env.NS, 0)
	if err != nil {
		return nil, err
	}
	req := c.dumpRequest(unix.RTM_GETTCLASS, unix.AF_UNSPEC, tc.SizeofTcmsg)
	native.PutUint32(req[unix.NLMSG_HDRLEN+4:], uint32(index))
	run := func() (Result, error) {
		n := 0
		err := c.dump(req, func(typ uint16, d []byte) {
			if typ == unix.RTM_NEWTCLASS {
				sink += uint64(native.Uint32(d[8:])) + uint64(native.Uint32(d[12:]))
				n++
			}
		})
		return Result{Count: n}, err
	}
	return single("dump", run, c.Close), nil
}

func vnHTBClassDump(env *Env) (*Instance, error) {
	if err := setupHTB(env.NS); err != nil {
		return nil, err
	}
	h, ns, err := vnHandle(env)
	if err != nil {
		return nil, err
	}
	l, err := h.LinkByName("tcb0")
	if err != nil {
		h.Close()
		ns.Close()
		return nil, err
	}
	run := func() (Result, error) {
		classes, err := h.ClassList(l, netlink.HANDLE_NONE)
		for _, c := range classes {
			a := c.Attrs()
			sink += uint64(a.Handle) + uint64(a.Parent)
			if hc, ok := c.(*netlink.HtbClass); ok {
				sink += hc.Rate
			}
		}
		return Result{Count: len(classes)}, err
	}
	return single("dump", run, func() error { h.Close(); return ns.Close() }), nil
}
