#!/usr/bin/env python3
"""mistakes_parity.py measures how often ipr fails as ip, tc and bridge do.

Usage: scripts/mistakes_parity.py [--sample N] [--seed S] [--top K]

The command lines are those of cmd/ipr's TestCommandLinesNeverPanic (every
command line of the tests and scripts, cut short, with a word replaced by
hostile values, left out or repeated), which writes them with
IPR_MISTAKES_OUT. A random sample of them (default 5,000, seed 1) runs with
iproute2's tool and then with ipr, in one throwaway namespace with a veth
pair and a bridge. Where the tool refuses the line (status 1 or 255: the
kernel saw nothing, or refused it as it would refuse ipr), the two are
compared: exit status, standard output and standard error, with each
program's own name in messages ("try \\"ip help\\"") made alike. It prints
how many agree and the commonest disagreements, by object, command and the
two statuses.

Needs root, ip, tc and bridge. Lines that could reach outside the
namespace (moving devices to other namespaces, namespace ids) are left
out, as the test leaves out commands that do more than netlink.
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

NS = "ipr-mistakes-parity"
SETUP = [
    "link set lo up", "link add v0 type veth peer name v1", "link add p0 type veth peer name p1",
    "link add br0 type bridge", "link set p1 master br0", "link set v0 up", "link set v1 up", "link set p0 up",
    "addr add 192.0.2.1/24 dev v0", "addr add 2001:db8:1::1/64 dev v0 nodad",
]
TC_OBJECTS = {"qdisc", "class", "filter", "actions", "chain"}


def run(argv):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
        return p.returncode, p.stdout.decode("latin1"), p.stderr.decode("latin1")
    except subprocess.TimeoutExpired:
        return None, "", "timed out"


def same_names(s):
    return re.sub(r"\b(ipr|ip|tc|bridge)\b", "PROG", s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("mistakes_parity: needs root (it makes a network namespace)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        lines = os.path.join(tmp, "lines.jsonl")
        ipr = os.path.join(tmp, "ipr")
        env = dict(os.environ, IPR_MISTAKES_OUT=lines)
        subprocess.run(["go", "test", "./cmd/ipr", "-run", "^TestCommandLinesNeverPanic$", "-count=1"],
                       cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["go", "build", "-o", ipr, "./cmd/ipr"], cwd=root, check=True)
        with open(lines) as f:
            all_lines = [json.loads(l) for l in f if l.strip()]
        random.Random(args.seed).shuffle(all_lines)
        subprocess.run(["ip", "netns", "del", NS], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "add", NS], check=True)
        try:
            for c in SETUP:
                subprocess.run(["ip", "-n", NS] + c.split(), check=True)
            compare(all_lines, args, ipr)
        finally:
            purge_proxies()
            subprocess.run(["ip", "netns", "del", NS])


def purge_proxies():
    """Deletes the namespace's proxy neighbours before the namespace goes.

    Linux (seen on 6.18) keeps a proxy entry without a device ("ip neigh add
    proxy ADDR", which the mutated lines make) after its namespace is
    deleted, and shows it in a later namespace that reuses the memory: it
    would turn up in other tests' fresh namespaces.
    """
    for fam in ("-4", "-6"):
        p = subprocess.run(["ip", fam, "-n", NS, "neigh", "show", "proxy"], capture_output=True, text=True)
        for line in p.stdout.splitlines():
            words = line.split()
            if not words:
                continue
            cmd = ["ip", fam, "-n", NS, "neigh", "del", "proxy", words[0]]
            if len(words) > 2 and words[1] == "dev":
                cmd += ["dev", words[2]]
            subprocess.run(cmd)


def compare(all_lines, args, ipr):
    compared = status_same = bytes_same = 0
    classes, examples = collections.Counter(), {}
    for w in all_lines:
        if compared >= args.sample:
            break
        if any("\x00" in x or "netn" in x or "nsid" in x for x in w):
            continue
        i = 0
        while i < len(w) and w[i].startswith("-"):
            i += 1
        if i == len(w) or w[i] in ("calc", "genl"):
            continue
        if w[i] in TC_OBJECTS:
            tool = ["tc", "-n", NS] + w
        elif w[i] == "bridge":
            tool = ["bridge", "-n", NS] + w[:i] + w[i + 1:]
        else:
            tool = ["ip", "-n", NS] + w
        code, out, err = run(tool)
        if code not in (1, 255):
            continue
        pcode, pout, perr = run([ipr, "-n", NS] + w)
        compared += 1
        if pcode == code:
            status_same += 1
        if pcode == code and same_names(pout) == same_names(out) and same_names(perr) == same_names(err):
            bytes_same += 1
            continue
        key = (w[i], w[i + 1] if i + 1 < len(w) else "", code, pcode)
        classes[key] += 1
        examples.setdefault(key, (w, err.strip()[-160:], perr.strip()[-160:]))
    print(f"compared {compared} lines the tools refuse: same status {status_same} "
          f"({100 * status_same / max(compared, 1):.1f}%), same bytes {bytes_same} "
          f"({100 * bytes_same / max(compared, 1):.1f}%)")
    for key, n in classes.most_common(args.top):
        w, err, perr = examples[key]
        print(f"{n:5d} {key[0]} {key[1]}: tool {key[2]}, ipr {key[3]}: {' '.join(map(repr, w))}")
        print(f"      tool: {err!r}\n      ipr:  {perr!r}")


if __name__ == "__main__":
    main()
