#!/usr/bin/python3
"""pyroute2 contestant of the ipr benchmark (bench/cmd/iprbench).

Runs inside the benchmark namespace ("ip netns exec NS"), so IPRoute() is
the namespace's. Prints a JSON list of phases, each with its wall times per
repetition and the count it verified, as the Go children do. The objects
mirror bench/workload/ns.go.
"""

import ipaddress
import json
import os
import select
import shlex
import socket
import subprocess
import sys
import time

from pyroute2 import IPRoute

from benchlib import arguments, peak_rss_kb

DEVICE = "bench0"
GATEWAY = "10.0.0.2"
ADD_TABLE = 100
EVENT_TABLE = 101
RTMGRP_IPV4_ROUTE = 0x40


def dst24(base, i):
    return str(ipaddress.IPv4Address((base << 24) + (i << 8)))


def dumper(query, fields, attrs):
    """A dump workload: counts the messages query(ipr) yields, reading the
    header fields and attributes of each, as the Go contestants read them."""
    def dump(ipr, sizes):
        n = 0
        for m in query(ipr):
            for f in fields:
                m[f]
            for a in attrs:
                m.get_attr(a)
            n += 1
        return n
    return dump


DUMPS = {
    "route-dump": dumper(lambda ipr: ipr.get_routes(family=socket.AF_INET, table=254),
                         ("dst_len",), ("RTA_DST", "RTA_GATEWAY", "RTA_OIF")),
    "link-dump": dumper(lambda ipr: ipr.get_links(), ("index", "flags"), ("IFLA_MTU", "IFLA_IFNAME")),
    "addr-dump": dumper(lambda ipr: ipr.get_addr(), ("index", "prefixlen"), ("IFA_ADDRESS",)),
    "neigh-dump": dumper(lambda ipr: ipr.get_neighbours(), ("ifindex", "state"), ("NDA_LLADDR",)),
}


def get_targets(sizes):
    routes, gets = sizes["routes"], sizes["gets"]
    step = max(routes // max(gets, 1), 1)
    out = []
    for i in range(gets):
        a = ipaddress.IPv4Address((11 << 24) + (((i * step) % routes) << 8) + 7)
        out.append(str(a))
    return out


def count_table(ipr, table):
    return sum(1 for _ in ipr.get_routes(family=socket.AF_INET, table=table))


def timed(fn):
    t = time.perf_counter_ns()
    v = fn()
    return time.perf_counter_ns() - t, v


def run_dump(ipr, fn, sizes, reps):
    walls, count = [], None
    for _ in range(reps):
        w, n = timed(lambda: fn(ipr, sizes))
        walls.append(w)
        if count is not None and n != count:
            raise SystemExit(f"count changed between repetitions: {count}, {n}")
        count = n
    return [{"Phase": "dump", "WallNS": walls, "Count": count}]


def run_get(ipr, sizes, reps):
    targets = get_targets(sizes)
    walls = []
    for _ in range(reps):
        def go():
            n = 0
            for d in targets:
                r = ipr.route("get", dst=d)
                if len(r) == 1 and r[0].get_attr("RTA_OIF"):
                    n += 1
            return n
        w, n = timed(go)
        walls.append(w)
    return [{"Phase": "get", "WallNS": walls, "Count": n}]


def run_route_add(ipr, sizes, reps):
    n = sizes["adds"]
    oif = ipr.link_lookup(ifname=DEVICE)[0]
    dsts = [dst24(64, i) for i in range(n)]
    add_w, del_w = [], []
    for _ in range(reps):
        def add():
            for d in dsts:
                ipr.route("add", dst=d, dst_len=24, gateway=GATEWAY, oif=oif, table=ADD_TABLE)
        def delete():
            for d in dsts:
                ipr.route("del", dst=d, dst_len=24, gateway=GATEWAY, oif=oif, table=ADD_TABLE)
        w, _ = timed(add)
        add_w.append(w)
        if count_table(ipr, ADD_TABLE) != n:
            raise SystemExit("routes missing after adding")
        w, _ = timed(delete)
        del_w.append(w)
        if count_table(ipr, ADD_TABLE) != 0:
            raise SystemExit("routes left after deleting")
    return [{"Phase": "add", "WallNS": add_w, "Count": n}, {"Phase": "del", "WallNS": del_w, "Count": n}]


def run_veth(ipr, sizes, reps):
    n = sizes["veths"]
    base = len(ipr.get_links())
    add_w, del_w = [], []
    for _ in range(reps):
        def add():
            for i in range(n):
                ipr.link("add", ifname=f"vb{i}", kind="veth", peer=f"vc{i}")
        def delete():
            for i in range(n):
                ipr.link("del", ifname=f"vb{i}")
        w, _ = timed(add)
        add_w.append(w)
        got = len(ipr.get_links()) - base
        if got != 2 * n:
            raise SystemExit(f"{got} links created, want {2 * n}")
        w, _ = timed(delete)
        del_w.append(w)
        if len(ipr.get_links()) != base:
            raise SystemExit("links left after deleting")
    return [{"Phase": "add", "WallNS": add_w, "Count": n}, {"Phase": "del", "WallNS": del_w, "Count": n}]


def run_events(sizes, reps, gen):
    n = sizes["events"] // 2 * 2
    marker = ipaddress.IPv4Network(dst24(128, n // 2) + "/24")
    out = []
    for _ in range(reps):
        ipr = IPRoute()
        ipr.bind(groups=RTMGRP_IPV4_ROUTE)
        events = overruns = 0
        got_marker = False
        note = "no overrun"
        start = time.monotonic()
        last = start

        def drain(timeout):
            nonlocal events, overruns, got_marker, note, last
            r, _, _ = select.select([ipr.fileno()], [], [], timeout)
            if not r:
                return False
            try:
                msgs = ipr.get()
            except OSError as e:
                overruns += 1
                note = f"{e.__class__.__name__} {e.errno} from get(); the socket goes on receiving"
                return True
            for m in msgs:
                if m.get("event") in ("RTM_NEWROUTE", "RTM_DELROUTE") and m.get_attr("RTA_TABLE") == EVENT_TABLE:
                    d = m.get_attr("RTA_DST")
                    if d and ipaddress.IPv4Network(f"{d}/{m['dst_len']}") == marker:
                        got_marker = True
                    else:
                        events += 1
            last = time.monotonic()
            return True

        proc = subprocess.Popen(shlex.split(gen) + [str(n)])
        while proc.poll() is None:
            drain(0.05)
        if proc.returncode != 0:
            raise SystemExit("generator failed")
        while time.monotonic() - last < 0.3:
            drain(0.05)
        last_ms = int((last - start) * 1000)
        ipr2 = IPRoute()
        oif = ipr2.link_lookup(ifname=DEVICE)[0]
        ipr2.route("add", dst=str(marker.network_address), dst_len=24, gateway=GATEWAY, oif=oif, table=EVENT_TABLE)
        deadline = time.monotonic() + 2
        while not got_marker and time.monotonic() < deadline:
            drain(0.05)
        ipr2.route("del", dst=str(marker.network_address), dst_len=24, gateway=GATEWAY, oif=oif, table=EVENT_TABLE)
        ipr2.close()
        ipr.close()
        out.append((events, overruns, got_marker, last_ms, note))
    events, overruns, got_marker, last_ms, note = sorted(out)[len(out) // 2]
    return [{"Phase": "events", "WallNS": [last_ms * 1000000], "Count": events, "Note": note,
             "Extra": {"overruns": overruns, "recovered": int(got_marker), "changes": n, "last_event_ms": last_ms}}]


def run_ndb(sizes, reps):
    from pyroute2 import NDB
    walls = []
    count = 0
    for _ in range(reps):
        t = time.perf_counter_ns()
        ndb = NDB()
        count = len(list(ndb.interfaces.dump())) + len(list(ndb.routes.dump()))
        walls.append(time.perf_counter_ns() - t)
        ndb.close()
    return [{"Phase": "start", "WallNS": walls, "Count": count,
             "Note": "NDB() then dump of its interfaces and routes views (IPDB is gone from pyroute2 0.7)"}]


def main():
    a = arguments(reps=3, required=("sizes",))
    sizes = json.loads(a.sizes)
    if a.workload in DUMPS:
        with IPRoute() as ipr:
            res = run_dump(ipr, DUMPS[a.workload], sizes, a.reps)
    elif a.workload == "route-get":
        with IPRoute() as ipr:
            res = run_get(ipr, sizes, a.reps)
    elif a.workload == "route-add":
        with IPRoute() as ipr:
            res = run_route_add(ipr, sizes, a.reps)
    elif a.workload == "veth":
        with IPRoute() as ipr:
            res = run_veth(ipr, sizes, a.reps)
    elif a.workload == "events":
        res = run_events(sizes, a.reps, a.gen)
    elif a.workload == "ipdb-start":
        res = run_ndb(sizes, a.reps)
    else:
        raise SystemExit(f"unknown workload {a.workload}")
    for r in res:
        r["MaxRSSKB"] = peak_rss_kb()
    json.dump(res, sys.stdout)


if __name__ == "__main__":
    main()
