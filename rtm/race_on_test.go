//go:build race

package rtm_test

// raceDetector reports a test binary built with -race, where sync.Pool
// drops items at random and allocation counts vary from run to run.
const raceDetector = true
