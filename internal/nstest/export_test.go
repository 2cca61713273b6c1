package nstest

// SweepOrphans lets the external tests run the sweep directly.
var SweepOrphans = sweepOrphans

// FeatureNames lists every known feature, in the table's order.
func FeatureNames() []string {
	var names []string
	for _, f := range features() {
		names = append(names, f.name)
	}
	return names
}

// ProbeAll probes every one of names, in one scratch namespace, ignoring
// IPR_TEST_ASSUME_MISSING, and returns whether each is present.
func ProbeAll(names []string) (map[string]bool, map[string]error) {
	present, errs := map[string]bool{}, map[string]error{}
	for n, r := range probe(names) {
		present[n] = r.present
		if r.err != nil {
			errs[n] = r.err
		}
	}
	return present, errs
}

// ProbeRuns says how many times the feature called name has been probed.
func ProbeRuns(name string) int {
	probeMu.Lock()
	defer probeMu.Unlock()
	return probeRuns[name]
}
