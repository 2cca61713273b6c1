"""What the Python contestants of the ipr benchmark share: the arguments
bench/cmd/iprbench passes them, and the peak memory they report."""

import argparse


def arguments(reps, required):
    """Parses the runner's arguments: --workload, --reps (reps unless
    given), --inputs, --sizes and --gen, of which those named in required
    must be given."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", required=True)
    ap.add_argument("--reps", type=int, default=reps)
    for name in ("inputs", "sizes", "gen"):
        ap.add_argument("--" + name, required=name in required)
    return ap.parse_args()


def peak_rss_kb():
    """VmHWM of this process in KiB: unlike ru_maxrss, not inflated by the
    parent that forked it."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0
