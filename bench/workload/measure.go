package workload

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Measurement is the outcome of one phase over every repetition.
type Measurement struct {
	Workload   string
	Contestant string
	Phase      string
	Reps       int
	// WallNS holds each repetition's wall time; MedianNS their median.
	WallNS   []int64
	MedianNS int64
	// Mallocs and Bytes are the median heap allocations of a repetition.
	Mallocs, Bytes uint64
	Result         Result
	// MaxRSSKB is the process's peak resident set size after every
	// repetition (see PeakRSSKB).
	MaxRSSKB int64
}

// Measure prepares a contestant's workload and runs its phases reps
// times, timing each and counting its heap allocations. Results must
// agree across repetitions: a count that changes is an error.
func Measure(env *Env, workload, contestant string, reps int) ([]Measurement, error) {
	mk, err := Lookup(workload, contestant)
	if err != nil {
		return nil, err
	}
	inst, err := mk(env)
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	out := make([]Measurement, len(inst.Phases))
	mallocs := make([][]uint64, len(inst.Phases))
	bytes := make([][]uint64, len(inst.Phases))
	var before, after runtime.MemStats
	for rep := 0; rep < reps; rep++ {
		for i, p := range inst.Phases {
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			r, err := p.Run()
			wall := time.Since(start)
			runtime.ReadMemStats(&after)
			if err != nil {
				return nil, phaseError(workload, contestant, p.Name, err)
			}
			if p.Verify != nil {
				if r, err = p.Verify(); err != nil {
					return nil, phaseError(workload, contestant, p.Name, err)
				}
			}
			if r.digest != nil {
				r.Digest, r.digest = r.digest(), nil
			}
			m := &out[i]
			if rep > 0 && m.Result.Count != r.Count && workload != "events" {
				return nil, phaseError(workload, contestant, p.Name,
					countMismatch("count changed between repetitions", r.Count, m.Result.Count))
			}
			m.Workload, m.Contestant, m.Phase, m.Result = workload, contestant, p.Name, r
			m.WallNS = append(m.WallNS, wall.Nanoseconds())
			mallocs[i] = append(mallocs[i], after.Mallocs-before.Mallocs)
			bytes[i] = append(bytes[i], after.TotalAlloc-before.TotalAlloc)
		}
	}
	rss := PeakRSSKB()
	for i := range out {
		out[i].Reps = reps
		out[i].MedianNS = Median(out[i].WallNS)
		out[i].Mallocs = Median(mallocs[i])
		out[i].Bytes = Median(bytes[i])
		out[i].MaxRSSKB = rss
	}
	return out, nil
}

// Median returns the median of v (the mean of the middle two when their
// number is even), 0 for none; v is left as it is.
func Median[T int64 | uint64](v []T) T {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

type phaseErr struct {
	what string
	err  error
}

func (e *phaseErr) Error() string { return e.what + ": " + e.err.Error() }
func (e *phaseErr) Unwrap() error { return e.err }

func phaseError(workload, contestant, phase string, err error) error {
	return &phaseErr{what: workload + "/" + contestant + "/" + phase, err: err}
}

// PeakRSSKB returns the peak resident set size of this process's address
// space, VmHWM in /proc/self/status, in KiB, or 0 if unknown. Unlike
// getrusage's ru_maxrss it does not include the address space of the
// parent that forked the process: a child started by a 20 MB Go program
// through vfork inherits a ru_maxrss of at least 20 MB.
func PeakRSSKB() int64 { return VmHWM("self") }

// VmHWM returns the VmHWM of /proc/PID/status in KiB, or 0.
func VmHWM(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
