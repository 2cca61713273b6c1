package nstest

// SweepOrphans lets the external tests run the sweep directly.
var SweepOrphans = sweepOrphans
