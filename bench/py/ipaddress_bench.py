#!/usr/bin/env python3
"""Python ipaddress contestant of the ipr benchmark's ipnet workloads.

Reads the inputs bench/cmd/iprbench wrote (one value a line), times the
workload, and prints a JSON list with one phase whose digest is computed
as bench/workload/ipnet.go computes it, so the runner can assert identical
results.
"""

import hashlib
import json
import os
import sys
import time
from ipaddress import (IPv4Address, IPv4Network, IPv6Address, IPv6Network,
                       collapse_addresses, summarize_address_range)

from benchlib import arguments, peak_rss_kb

MASK64 = (1 << 64) - 1


def lines(d, name):
    with open(os.path.join(d, name + ".txt")) as f:
        return f.read().split()


def nets_digest(nets):
    h = hashlib.sha256()
    for n in nets:
        h.update(str(n).encode())
        h.update(b"\n")
    return h.hexdigest()


def net_value(n):
    return int(n.network_address) + n.prefixlen


# The parse workloads: the input list, the class that parses it, and the
# value of each parsed object, summed modulo 2^64 as ipnet.go sums it.
PARSE = {
    "parse-v4": ("v4", IPv4Address, int),
    "parse-v6": ("v6", IPv6Address, int),
    "parse-prefix4": ("prefix4", IPv4Network, net_value),
    "parse-prefix6": ("prefix6", IPv6Network, net_value),
}


def workload(name, d):
    """Returns (prepared run function, count)."""
    if name in PARSE:
        list_name, cls, val = PARSE[name]
        ss = lines(d, list_name)

        def run():
            s = 0
            for x in ss:
                s += val(cls(x)) & MASK64
            return str(s & MASK64)
        return run, len(ss)
    if name == "contains":
        nets = [IPv4Network(x) for x in lines(d, "prefix4")]
        addrs = [IPv4Address(x) for x in lines(d, "contain")]

        def run():
            n = 0
            for net, a in zip(nets, addrs):
                if a in net:
                    n += 1
            return str(n)
        return run, len(nets)
    if name == "collapse":
        nets = [IPv4Network(x) for x in lines(d, "collapse")]

        def run():
            out = list(collapse_addresses(nets))
            return lambda: nets_digest(out)
        return run, len(nets)
    if name == "summarize":
        lo = [IPv4Address(x) for x in lines(d, "range_lo")]
        hi = [IPv4Address(x) for x in lines(d, "range_hi")]

        def run():
            out = []
            for a, b in zip(lo, hi):
                out.extend(summarize_address_range(a, b))
            return lambda: nets_digest(out)
        return run, len(lo)
    if name == "exclude":
        outer = [IPv4Network(x) for x in lines(d, "exclude_outer")]
        inner = [IPv4Network(x) for x in lines(d, "exclude_inner")]

        def run():
            per = [list(o.address_exclude(i)) for o, i in zip(outer, inner)]

            def digest():
                out = []
                for ps in per:
                    out.extend(sorted(ps, key=lambda n: (int(n.network_address), n.prefixlen)))
                return nets_digest(out)
            return digest
        return run, len(outer)
    raise SystemExit(f"unknown workload {name}")


def main():
    a = arguments(reps=5, required=("inputs",))
    run, count = workload(a.workload, a.inputs)
    walls, digest = [], None
    for _ in range(a.reps):
        t = time.perf_counter_ns()
        v = run()
        walls.append(time.perf_counter_ns() - t)
        d = v() if callable(v) else v
        if digest is not None and d != digest:
            raise SystemExit("results changed between repetitions")
        digest = d
    json.dump([{"Phase": a.workload, "WallNS": walls, "Count": count, "Digest": digest,
                "MaxRSSKB": peak_rss_kb()}], sys.stdout)


if __name__ == "__main__":
    main()
