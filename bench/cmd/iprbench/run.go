package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ipr-go/ipr/bench/workload"
)

// Contestant kinds.
const (
	kindGo       = "go"
	kindIP       = "iproute2"
	kindPyroute2 = "pyroute2"
	kindPython   = "python"
	kindNotYet   = "not yet"
)

// entry is one contestant of a workload.
type entry struct {
	name string
	kind string
	reps int // repetitions in a full run; a quick run caps them
	// ip is the iproute2 command line after "ip -n NS", and count how its
	// output is counted.
	ip    []string
	count func(out []byte) (int, error)
	note  string
}

type workloadPlan struct {
	name    string
	phases  []string
	entries []entry
}

func goEntries(reps int, names ...string) []entry {
	var out []entry
	for _, n := range names {
		out = append(out, entry{name: n, kind: kindGo, reps: reps})
	}
	return out
}

func plan() []workloadPlan {
	dump := []string{"dump"}
	change := []string{"add", "del"}
	var p []workloadPlan
	add := func(name string, phases []string, es ...[]entry) {
		var all []entry
		for _, e := range es {
			all = append(all, e...)
		}
		p = append(p, workloadPlan{name, phases, all})
	}
	one := func(e entry) []entry { return []entry{e} }
	ipDump := func(name string, reps int, args []string, count func([]byte) (int, error)) []entry {
		return one(entry{name: name, kind: kindIP, reps: reps, ip: args, count: count})
	}
	py := func(reps int) []entry { return one(entry{name: "pyroute2", kind: kindPyroute2, reps: reps}) }

	add("route-dump", dump,
		goEntries(9, "ipr", "ipr-collect", "vishvananda-iter", "vishvananda-list", "rtnetlink", "raw"),
		ipDump("ip route show", 5, []string{"route", "show"}, countLines),
		ipDump("ip -j route show", 5, []string{"-j", "route", "show"}, countJSON),
		py(3))
	add("link-dump", dump,
		goEntries(9, "ipr", "ipr-name", "ipr-light", "vishvananda", "rtnetlink", "raw"),
		ipDump("ip link show", 5, []string{"-o", "link", "show"}, countLines),
		ipDump("ip -j link show", 5, []string{"-j", "link", "show"}, countJSON),
		py(3))
	add("addr-dump", dump,
		goEntries(9, "ipr", "vishvananda", "rtnetlink", "raw"),
		ipDump("ip -o addr show", 5, []string{"-o", "addr", "show"}, countLines),
		ipDump("ip -j addr show", 5, []string{"-j", "addr", "show"}, countJSONAddrs),
		py(3))
	add("neigh-dump", dump,
		goEntries(9, "ipr", "vishvananda", "rtnetlink", "raw"),
		ipDump("ip neigh show", 5, []string{"neigh", "show"}, countLines),
		ipDump("ip -j neigh show", 5, []string{"-j", "neigh", "show"}, countJSON),
		py(3))
	add("route-get", []string{"get"},
		goEntries(5, "ipr", "vishvananda", "rtnetlink", "raw"),
		one(entry{name: "ip -batch", kind: kindIP, reps: 3, count: countLines}),
		py(3))
	add("route-add", change,
		goEntries(5, "ipr", "raw"),
		goEntries(3, "vishvananda", "rtnetlink"),
		one(entry{name: "ip -batch", kind: kindIP, reps: 3}),
		py(1))
	add("veth", change,
		goEntries(2, "ipr", "vishvananda", "rtnetlink", "raw"),
		one(entry{name: "ip -batch", kind: kindIP, reps: 2}),
		py(1))
	add("events", []string{"events"},
		goEntries(3, "ipr", "vishvananda", "rtnetlink", "raw"),
		py(3))
	add("ethtool-features", []string{"features"},
		goEntries(5, "ipr", "ipr-dump", "ipr-each", "genetlink"),
		goEntries(1, "ethtool -k"))
	add("ethtool-linkinfo", dump, goEntries(9, "ipr", "mdlayher-ethtool"))
	add("ipdb-start", []string{"start"},
		goEntries(3, "ipr"),
		one(entry{name: "pyroute2 NDB", kind: kindPyroute2, reps: 1}))
	add("ipdb-tx", []string{"add", "change", "rollback", "remove"},
		goEntries(9, "ipr", "rtm.Batch"))
	for _, w := range []string{"parse-v4", "parse-v6", "parse-prefix4", "parse-prefix6", "contains"} {
		add(w, []string{w}, goEntries(15, "ipnet", "netip"), one(entry{name: "python ipaddress", kind: kindPython, reps: 5}))
	}
	for _, w := range []string{"collapse", "summarize", "exclude"} {
		add(w, []string{w}, goEntries(15, "ipnet", "netipx"), one(entry{name: "python ipaddress", kind: kindPython, reps: 5}))
	}
	return p
}

func countLines(out []byte) (int, error) {
	n := 0
	for _, l := range bytes.Split(out, []byte("\n")) {
		if len(l) > 0 && l[0] != ' ' && l[0] != '\t' {
			n++
		}
	}
	return n, nil
}

func countJSON(out []byte) (int, error) {
	var v []json.RawMessage
	err := json.Unmarshal(out, &v)
	return len(v), err
}

func countJSONAddrs(out []byte) (int, error) {
	var v []struct {
		AddrInfo []json.RawMessage `json:"addr_info"`
	}
	err := json.Unmarshal(out, &v)
	n := 0
	for _, l := range v {
		n += len(l.AddrInfo)
	}
	return n, err
}

// row is one contestant's measurement of one phase.
type row struct {
	Workload, Phase, Contestant, Kind string
	MedianNS                          int64
	WallNS                            []int64
	Count                             int
	Digest                            string
	Mallocs, Bytes                    uint64
	HasAllocs                         bool
	MaxRSSKB                          int64
	Reps                              int
	Note                              string
	Extra                             map[string]int
	Err                               string
}

type runner struct {
	ns      string
	quick   bool
	sizes   workload.Sizes
	self    string
	pyDir   string
	inputs  string
	tmp     string
	timeout time.Duration
	rows    []row
}

func run(args []string) error {
	fs := flag.NewFlagSet("iprbench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "a smoke run with small sizes and few repetitions")
	out := fs.String("out", "RESULTS.md", "where to write the results")
	ns := fs.String("ns", fmt.Sprintf("ipr-bench-%d", os.Getpid()), "name of the throwaway namespace to create")
	only := fs.String("only", "", "run only the workloads matching this regular expression")
	pyDir := fs.String("py", "py", "directory of the Python contestants")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return errors.New("must run as root (it creates a network namespace)")
	}
	filter, err := regexp.Compile(*only)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	pyAbs, err := filepath.Abs(*pyDir)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "iprbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	r := &runner{ns: *ns, quick: *quick, sizes: sizesFor(*quick), self: self, pyDir: pyAbs, tmp: tmp,
		inputs: filepath.Join(tmp, "inputs"), timeout: 10 * time.Minute}
	if err := os.Mkdir(r.inputs, 0o755); err != nil {
		return err
	}
	if err := workload.NewInputs(r.sizes.Prefix).Write(r.inputs); err != nil {
		return err
	}

	info := collectInfo(*quick, r.sizes)
	start := time.Now()
	fmt.Fprintf(os.Stderr, "creating namespace %s: %+v\n", r.ns, r.sizes)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		workload.DeleteNamespace(r.ns)
		os.Exit(1)
	}()
	defer workload.DeleteNamespace(r.ns)
	if err := workload.CreateNamespace(r.ns, r.sizes); err != nil {
		return err
	}
	info.fill = time.Since(start)

	for _, w := range plan() {
		if !filter.MatchString(w.name) {
			continue
		}
		for _, e := range w.entries {
			fmt.Fprintf(os.Stderr, "%-14s %-18s ", w.name, e.name)
			t := time.Now()
			rows := r.measure(w, e)
			for _, x := range rows {
				fmt.Fprintf(os.Stderr, "[%s %s n=%d %s] ", x.Phase, time.Duration(x.MedianNS), x.Count, x.Err)
			}
			fmt.Fprintf(os.Stderr, "(%v)\n", time.Since(t).Round(time.Millisecond))
			r.rows = append(r.rows, rows...)
		}
	}
	info.total = time.Since(start)
	info.loadAfter = loadAvg()
	report := render(info, r.rows)
	fmt.Print(report)
	if old, err := os.ReadFile(*out); err == nil {
		report = keepSection(report, string(old), binsizeHeading)
		report = keepSection(report, string(old), cliHeading)
		report = keepSection(report, string(old), wireguardHeading)
	}
	return os.WriteFile(*out, []byte(report), 0o644)
}

func (r *runner) reps(e entry) int {
	if r.quick {
		return min(e.reps, 3)
	}
	return e.reps
}

// measure runs one contestant of a workload and returns a row per phase;
// a failure is recorded in the rows rather than ending the run.
func (r *runner) measure(w workloadPlan, e entry) []row {
	var rows []row
	var err error
	switch e.kind {
	case kindNotYet:
		for _, p := range w.phases {
			rows = append(rows, row{Workload: w.name, Phase: p, Contestant: e.name, Kind: e.kind, Note: e.note})
		}
		return rows
	case kindGo:
		rows, err = r.goChild(w, e)
	case kindIP:
		rows, err = r.ip(w, e)
	case kindPyroute2:
		rows, err = r.python(w, e, "/usr/bin/python3", "pyroute2_bench.py", true)
	case kindPython:
		rows, err = r.python(w, e, "python3", "ipaddress_bench.py", false)
	}
	if err != nil {
		msg := strings.TrimSpace(err.Error())
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		rows = nil
		for _, p := range w.phases {
			rows = append(rows, row{Workload: w.name, Phase: p, Contestant: e.name, Kind: e.kind, Err: msg})
		}
	}
	return rows
}

func (r *runner) goChild(w workloadPlan, e entry) ([]row, error) {
	args := []string{"child", "-ns", r.ns, "-workload", w.name, "-contestant", e.name, "-reps", strconv.Itoa(r.reps(e))}
	if r.quick {
		args = append(args, "-quick")
	}
	out, _, _, err := r.exec(nil, r.self, args...)
	if err != nil {
		return nil, err
	}
	var ms []workload.Measurement
	if err := json.Unmarshal(out, &ms); err != nil {
		return nil, fmt.Errorf("child output: %w", err)
	}
	var rows []row
	for _, m := range ms {
		rows = append(rows, row{Workload: w.name, Phase: m.Phase, Contestant: e.name, Kind: e.kind,
			MedianNS: m.MedianNS, WallNS: m.WallNS, Count: m.Result.Count, Digest: m.Result.Digest,
			Mallocs: m.Mallocs, Bytes: m.Bytes, HasAllocs: true, MaxRSSKB: m.MaxRSSKB, Reps: m.Reps,
			Note: m.Result.Note, Extra: m.Result.Extra})
	}
	return rows, nil
}

// exec runs a command and returns its stdout, wall time and peak RSS.
func (r *runner) exec(stdin []byte, name string, args ...string) ([]byte, time.Duration, int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, 0, err
	}
	// getrusage's ru_maxrss of a child includes this process's own peak,
	// inherited through vfork, so the child's VmHWM is sampled instead
	// (a rough figure for processes of a few milliseconds).
	pid := strconv.Itoa(cmd.Process.Pid)
	done := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var rss int64
		for {
			rss = max(rss, workload.VmHWM(pid))
			select {
			case <-done:
				peak <- rss
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	rss := <-peak
	if err != nil {
		return nil, wall, rss, fmt.Errorf("%s %s: %v: %s", filepath.Base(name), strings.Join(args, " "), err, lastLines(stderr.String(), 5))
	}
	return stdout.Bytes(), wall, rss, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// ipRun times one iproute2 invocation per repetition; each rep is a new
// process, and the row's peak RSS is the largest of them.
type ipRep struct {
	wall  time.Duration
	count int
	rss   int64
}

func (r *runner) ip(w workloadPlan, e entry) ([]row, error) {
	reps := r.reps(e)
	byPhase := map[string][]ipRep{}
	once := func(phase string, stdin []byte, args []string, count func() (int, error)) error {
		out, wall, rss, err := r.exec(stdin, "ip", append([]string{"-n", r.ns}, args...)...)
		if err != nil {
			return err
		}
		var n int
		if count != nil {
			n, err = count()
		} else {
			n, err = e.count(out)
		}
		if err != nil {
			return err
		}
		byPhase[phase] = append(byPhase[phase], ipRep{wall, n, rss})
		return nil
	}
	for rep := 0; rep < reps; rep++ {
		var err error
		switch w.name {
		case "route-get":
			var b bytes.Buffer
			for _, a := range workload.GetTargets(r.sizes) {
				fmt.Fprintf(&b, "route get %v\n", a)
			}
			err = once("get", b.Bytes(), []string{"-batch", "-"}, nil)
		case "route-add":
			err = r.ipChange(once, r.sizes.Adds, func(b *bytes.Buffer, verb string, i int) {
				fmt.Fprintf(b, "route %s %v via %v dev %s table %d\n", verb, workload.AddDst(i), workload.Gateway, workload.Device, workload.AddTable)
			}, func() (int, error) { return workload.CountTable(r.ns, workload.AddTable) }, 1)
		case "veth":
			err = r.ipChange(once, r.sizes.Veths, func(b *bytes.Buffer, verb string, i int) {
				name, peer := workload.VethName(i)
				if verb == "add" {
					fmt.Fprintf(b, "link add %s type veth peer name %s\n", name, peer)
				} else {
					fmt.Fprintf(b, "link del %s\n", name)
				}
			}, func() (int, error) { return workload.CountLinks(r.ns) }, 2)
		default:
			err = once(w.phases[0], nil, e.ip, nil)
		}
		if err != nil {
			return nil, err
		}
	}
	var rows []row
	for _, p := range w.phases {
		reps := byPhase[p]
		x := row{Workload: w.name, Phase: p, Contestant: e.name, Kind: e.kind, Reps: len(reps)}
		for _, rp := range reps {
			x.WallNS = append(x.WallNS, rp.wall.Nanoseconds())
			x.MaxRSSKB = max(x.MaxRSSKB, rp.rss)
			if x.Count != 0 && x.Count != rp.count {
				return nil, fmt.Errorf("%s: count changed between repetitions: %d, %d", p, x.Count, rp.count)
			}
			x.Count = rp.count
		}
		x.MedianNS = workload.Median(x.WallNS)
		rows = append(rows, x)
	}
	return rows, nil
}

// ipChange runs the add and the delete batch once, checking the kernel's
// state after each: count must grow by n*per, then return to where it was.
func (r *runner) ipChange(once func(string, []byte, []string, func() (int, error)) error, n int,
	line func(b *bytes.Buffer, verb string, i int), count func() (int, error), per int) error {
	base, err := count()
	if err != nil {
		return err
	}
	for _, verb := range []string{"add", "del"} {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			line(&b, verb, i)
		}
		verify := func() (int, error) {
			c, err := count()
			if err != nil {
				return 0, err
			}
			if verb == "add" {
				if c-base != n*per {
					return 0, fmt.Errorf("after ip -batch add: %d new, want %d", c-base, n*per)
				}
				return n, nil
			}
			if c != base {
				return 0, fmt.Errorf("after ip -batch del: %d left, want 0", c-base)
			}
			return n, nil
		}
		if err := once(verb, b.Bytes(), []string{"-batch", "-"}, verify); err != nil {
			return err
		}
	}
	return nil
}

// python runs a Python contestant, inside the namespace for pyroute2; the
// script prints a JSON list of phases like the Go children.
func (r *runner) python(w workloadPlan, e entry, interpreter, script string, inNS bool) ([]row, error) {
	s := r.sizes
	args := []string{filepath.Join(r.pyDir, script), "--workload", w.name, "--reps", strconv.Itoa(r.reps(e)),
		"--inputs", r.inputs,
		"--sizes", fmt.Sprintf(`{"routes":%d,"gets":%d,"adds":%d,"veths":%d,"events":%d,"links":%d}`,
			s.Routes, s.Gets, s.Adds, s.Veths, s.Events, s.LinkCount()),
		"--gen", r.self + " gen -ns " + r.ns + " -n"}
	name := interpreter
	if inNS {
		args = append([]string{"netns", "exec", r.ns, interpreter}, args...)
		name = "ip"
	}
	out, _, rss, err := r.exec(nil, name, args...)
	if err != nil {
		return nil, err
	}
	var phases []struct {
		Phase    string
		MaxRSSKB int64
		WallNS   []int64
		Count    int
		Digest   string
		Note     string
		Extra    map[string]int
	}
	if err := json.Unmarshal(out, &phases); err != nil {
		return nil, fmt.Errorf("%s output: %w", script, err)
	}
	var rows []row
	for _, p := range phases {
		rows = append(rows, row{Workload: w.name, Phase: p.Phase, Contestant: e.name, Kind: e.kind,
			MedianNS: workload.Median(p.WallNS), WallNS: p.WallNS, Count: p.Count, Digest: p.Digest,
			MaxRSSKB: max(p.MaxRSSKB, rss), Reps: len(p.WallNS), Note: p.Note, Extra: p.Extra})
	}
	return rows, nil
}
