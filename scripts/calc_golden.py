#!/usr/bin/env python3
"""Write the expected output of `ipr calc` as computed by Python's ipaddress.

`ipr calc` (cmd/ipr/calc.go) prints properties and results of package
ipnet, which models Python's ipaddress module with 3.13 semantics. This
script computes what each command must print from Python's ipaddress
itself, in the CLI's text and JSON layouts, and writes one golden file per
case to cmd/ipr/testdata/calc/. cmd/ipr/calc_test.go runs each case through
the CLI and compares. The expected values are never written by hand.

The module is the one scripts/ipnet_oracle.py records the ipnet corpus from
(--ipaddress-dir or $IPNET_PYTHON_IPADDRESS, else the interpreter's own if
it is Python >= 3.13), checked the same way. The cases avoid the inputs on
which ipnet deliberately differs from CPython 3.13.0 (scoped addresses'
exploded and reverse_pointer, IPv4Interface('0.0.0.0/32').is_unspecified;
see ipnet/doc.go).

Regenerate from the repository root:

    IPNET_PYTHON_IPADDRESS=/tmp/py313 python3 scripts/calc_golden.py

Golden file format: header lines "# args: ARG...", "# stdin: LINE" (any
number), "# exit: STATUS" and "# stderr: TEXT" (optional), then standard
output verbatim.
"""

import argparse
import itertools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ipnet_oracle  # noqa: E402

ipaddress = None

# name -> (command line after "ipr", stdin lines)
CASES = {
    'show_v4_interface': (['calc', '192.0.2.5/24'], None),
    'show_v4_address': (['calc', 'show', '10.1.2.3'], None),
    'show_v4_netmask': (['calc', 'show', '198.51.100.7/255.255.255.128'], None),
    'show_v4_hostmask': (['calc', 'show', '100.64.1.1/0.0.255.255'], None),
    'show_v4_31': (['calc', 'show', '192.0.0.170/31'], None),
    'show_v4_32': (['calc', 'show', '255.255.255.255/32'], None),
    'show_v4_zero': (['calc', 'show', '0.0.0.0/0'], None),
    'show_v4_multicast': (['calc', 'show', '224.0.0.251'], None),
    'show_v4_special': (['calc', 'show', '192.0.0.9', '127.0.0.1/8', '169.254.3.4/16', '240.0.0.1/4'], None),
    'show_v6_interface': (['calc', 'show', '2001:db8::5/64'], None),
    'show_v6_scope': (['calc', 'show', 'fe80::1%eth0/64'], None),
    'show_v6_mapped': (['calc', 'show', '::ffff:192.0.2.1/120'], None),
    'show_v6_6to4': (['calc', 'show', '2002:c000:204::1'], None),
    'show_v6_teredo': (['calc', 'show', '2001:0:4136:e378:8000:63bf:3fff:fdd2/32'], None),
    'show_v6_all': (['calc', 'show', '::/0'], None),
    'show_v6_127': (['calc', 'show', '2001:db8::/127'], None),
    'show_v6_loopback': (['calc', 'show', '::1', '3fff::1/20', 'fec0::1/10', 'ff02::1'], None),
    'show_json': (['-j', 'calc', 'show', '192.0.2.5/24', '2001:db8::1', 'fe80::1%eth0/64'], None),
    'show_stdin': (['calc'], ['192.0.2.1/30  # a comment', '', '2001:db8::/48']),
    'show_stdin_json': (['-j', 'calc', 'show'], ['10.0.0.1', '::ffff:10.0.0.1']),
    'show_bad_address': (['calc', 'show', '192.0.2.256/24'], None),
    'show_bad_mask': (['calc', '192.0.2.0/33'], None),
    'show_bad_json': (['-j', 'calc', 'show', '2001:db8::g'], None),
    'collapse': (['calc', 'collapse', '192.0.2.0/25', '192.0.2.128/25', '192.0.3.0', '192.0.3.1',
                  '198.51.100.0/24', '198.51.100.128/25'], None),
    'collapse_v6_json': (['-j', 'calc', 'collapse', '2001:db8::/33', '2001:db8:8000::/33', '2001:db8:1::1'], None),
    'collapse_stdin': (['calc', 'collapse'], ['10.0.0.0/24 10.0.1.0/24', '10.0.2.0/23', '10.0.4.0']),
    'collapse_host_bits': (['calc', 'collapse', '10.0.0.1/24'], None),
    'collapse_empty_json': (['-j', 'calc', 'collapse'], ['# nothing']),
    'summarize': (['calc', 'summarize', '192.0.2.0', '192.0.2.130'], None),
    'summarize_v6_json': (['-j', 'calc', 'summarize', '2001:db8::1', '2001:db8::ff'], None),
    'summarize_all': (['calc', 'summarize', '0.0.0.0', '255.255.255.255'], None),
    'summarize_reversed': (['calc', 'summarize', '10.0.0.9', '10.0.0.1'], None),
    'summarize_mixed': (['calc', 'summarize', '10.0.0.1', '::1'], None),
    'exclude': (['calc', 'exclude', '10.0.0.0/8', '10.1.0.0/16'], None),
    'exclude_many': (['calc', 'exclude', '192.0.2.0/24', '192.0.2.0/28', '192.0.2.128/25',
                      '192.0.2.64/26', '198.51.100.0/24'], None),
    'exclude_all_json': (['-j', 'calc', 'exclude', '192.0.2.0/24', '192.0.0.0/16'], None),
    'exclude_v6_stdin': (['calc', 'exclude'], ['2001:db8::/32', '2001:db8:1::/48 2001:db8:ffff::/48']),
    'exclude_mixed': (['calc', 'exclude', '10.0.0.0/8', '::/0'], None),
    'subnets': (['calc', 'subnets', '192.0.2.0/24'], None),
    'subnets_new_prefix': (['calc', 'subnets', '192.0.2.0/24', '27'], None),
    'subnets_diff_json': (['-j', 'calc', 'subnets', '2001:db8::/32', '+3'], None),
    'subnets_32': (['calc', 'subnets', '192.0.2.1/32'], None),
    'subnets_shorter': (['calc', 'subnets', '192.0.2.0/24', '16'], None),
    'subnets_too_long': (['calc', 'subnets', '2001:db8::/120', '+9'], None),
}


class Failure(Exception):
    """What the CLI prints to stderr: 'ipr: ' and the Python exception."""


def describe(s):
    """What `ipr calc show s` prints for one argument, as ordered pairs."""
    A = ipaddress
    i = A.ip_interface(s)
    a, n = i.ip, i.network
    r = [('address', str(a))]
    if a.version == 6:
        r.append(('scope_id', i.scope_id))
    r += [('version', a.version), ('exploded', a.exploded), ('integer', str(int(a))),
          ('reverse_pointer', a.reverse_pointer), ('network', str(n)), ('prefixlen', n.prefixlen),
          ('netmask', str(n.netmask)), ('hostmask', str(n.hostmask)),
          ('broadcast_address', str(n.broadcast_address))]
    hosts = n.hosts()
    first = next(iter(hosts))
    # The last host without iterating: hosts() stops before the broadcast
    # address only for IPv4 networks of more than two addresses.
    last = n[-2] if n.version == 4 and n.prefixlen < 31 else n[-1]
    if n.num_addresses <= 1 << 16:
        assert last == list(n.hosts())[-1], s
    r += [('first_host', str(first)), ('last_host', str(last)), ('num_addresses', str(n.num_addresses))]
    for flag in ('is_private', 'is_global', 'is_multicast', 'is_reserved', 'is_loopback',
                 'is_link_local', 'is_unspecified'):
        r.append((flag, getattr(a, flag)))
    if a.version == 4:
        r.append(('ipv6_mapped', str(a.ipv6_mapped)))
        return r
    teredo = a.teredo or (None, None)
    r += [('is_site_local', a.is_site_local), ('ipv4_mapped', ipnet_oracle.opt(a.ipv4_mapped)),
          ('sixtofour', ipnet_oracle.opt(a.sixtofour)), ('teredo_server', ipnet_oracle.opt(teredo[0])),
          ('teredo_client', ipnet_oracle.opt(teredo[1]))]
    return r


def parse_item(s):
    return ipaddress.ip_network(s) if '/' in s else ipaddress.ip_address(s)


def exclude(args):
    """The first network minus the others, sorted."""
    left = [ipaddress.ip_network(args[0])]
    for s in args[1:]:
        m = ipaddress.ip_network(s)
        nxt = []
        for x in left:
            if m.subnet_of(x):
                nxt.extend(x.address_exclude(m))
            elif not x.subnet_of(m):
                nxt.append(x)
        left = nxt
    return sorted(left)


def subnets(args):
    n = ipaddress.ip_network(args[0])
    if len(args) == 1:
        return n.subnets()
    if args[1].startswith('+'):
        return n.subnets(prefixlen_diff=int(args[1][1:]))
    return n.subnets(new_prefix=int(args[1]))


def results(cmd, args):
    """The items the command prints, one at a time; raises Failure."""
    A = ipaddress
    try:
        if cmd == 'show':
            for s in args:
                yield describe(s)
        elif cmd == 'collapse':
            yield from (str(x) for x in A.collapse_addresses([parse_item(s) for s in args]))
        elif cmd == 'summarize':
            first, last = (A.ip_address(s) for s in args)
            yield from (str(x) for x in A.summarize_address_range(first, last))
        elif cmd == 'exclude':
            yield from (str(x) for x in exclude(args))
        elif cmd == 'subnets':
            yield from (str(x) for x in subnets(args))
        else:
            raise AssertionError(cmd)
    except (ValueError, TypeError) as e:
        raise Failure(str(e)) from None


def render(items, as_json):
    """The CLI's layout of the items: text lines or an indented JSON array."""
    if as_json:
        objs = [dict(x) if isinstance(x, list) else x for x in items]
        return json.dumps(objs, indent=2, ensure_ascii=False) + '\n'
    out = []
    for x in items:
        if isinstance(x, list):
            if out:
                out.append('')
            for k, v in x:
                if v is None:
                    continue
                if isinstance(v, bool):
                    v = 'true' if v else 'false'
                out.append('%-17s %s' % (k, v))
        else:
            out.append(x)
    return ''.join(line + '\n' for line in out)


def run_case(argv, stdin):
    as_json = argv[0] == '-j'
    words = argv[2:] if as_json else argv[1:]  # after "calc"
    cmd = 'show'
    if words and words[0] in ('show', 'collapse', 'summarize', 'exclude', 'subnets'):
        cmd, words = words[0], words[1:]
    if not words and stdin:
        words = [w for line in stdin for w in line.split('#')[0].split()]
    items, stderr, status = [], '', 0
    try:
        for x in results(cmd, words):
            items.append(x)
    except Failure as e:
        stderr, status = 'ipr: %s\n' % e, 1
    stdout = render(items, as_json)
    if status and as_json and not items:
        stdout = ''  # nothing was printed before the error
    return stdout, stderr, status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ipaddress-dir', default=os.environ.get(ipnet_oracle.ENV_DIR))
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'cmd', 'ipr', 'testdata', 'calc'))
    args = ap.parse_args()
    global ipaddress
    ipaddress, path, digest = ipnet_oracle.load_ipaddress(args.ipaddress_dir)
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith('.golden'):
            os.remove(os.path.join(out, old))
    for name, (argv, stdin) in sorted(CASES.items()):
        stdout, stderr, status = run_case(argv, stdin)
        head = ['# args: ' + ' '.join(argv)]
        head += ['# stdin: ' + line for line in stdin or []]
        head.append('# exit: %d' % status)
        if stderr:
            head.append('# stderr: ' + stderr.rstrip('\n'))
        with open(os.path.join(out, name + '.golden'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(head) + '\n' + stdout)
    print('%d cases from %s (sha256 %s) in %s' % (len(CASES), path, digest[:16], out))


if __name__ == '__main__':
    main()
