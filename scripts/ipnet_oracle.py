#!/usr/bin/env python3
"""Record Python's ipaddress module as a differential test corpus for ipnet.

ipnet (github.com/ipr-go/ipr/ipnet) models Python's ipaddress module (PEP 3144)
with Python 3.13 semantics. This script asks Python itself: it generates a
large, seeded set of inputs, valid and invalid, feeds them to ipaddress and
writes every answer, or the exception it raised, to ipnet/testdata/oracle/.
ipnet/oracle_test.go replays each record against ipnet. The expected results
are never written by hand.

Which ipaddress
---------------
The corpus must come from the Python 3.13 branch of Lib/ipaddress.py, not from
whatever interpreter happens to be installed, because the module changed
observably between releases:

  * 3.13.0: IPv4-mapped IPv6 addresses print as ::ffff:1.2.3.4, is_private and
    is_global follow the updated IANA special-purpose registries,
    IPv4Address.ipv6_mapped exists;
  * 3.13.1 (gh-122792): every is_* property of an IPv4-mapped IPv6 address
    answers for the mapped IPv4 address;
  * 3.13.1 (gh-124217): 3fff::/20 (RFC 9637) is not globally reachable;
  * a 2025 3.13 bugfix release (gh-128840): IPv6 text longer than 45
    characters is rejected early with its own error message.

Later fixes on CPython's main branch are deliberately NOT assumed: gh-88178
(exploded and reverse_pointer of a scoped IPv6 address, which raise in
3.13.0) and gh-115766 (IPv4Interface.is_unspecified, always False in
3.13.0). The corpus records what the module given to this script does;
ipnet/oracle_deviations_test.go holds ipnet to its documented deviations
(ipnet/doc.go), using answers this script records for the purpose, such as
the same input without scope ids.

The module is taken from, in order:

  1. the directory given by --ipaddress-dir or $IPNET_PYTHON_IPADDRESS, which
     must contain ipaddress.py (a copy of CPython's 3.13 Lib/ipaddress.py kept
     outside this repository; it is pure Python and runs on Python >= 3.11);
  2. the interpreter's own ipaddress, only when the interpreter is >= 3.13.

Either way the module must show all four behaviours above; otherwise the
script refuses to run rather than record the wrong semantics.

Regenerate
----------
From the repository root:

    IPNET_PYTHON_IPADDRESS=/tmp/py313 python3 scripts/ipnet_oracle.py

or, with a Python 3.13 that has the fixes above, `python3.13 scripts/ipnet_oracle.py`.
The output is byte-for-byte reproducible for a given seed (--seed, default
DEFAULT_SEED) and ipaddress.py; manifest.json records both, with the SHA-256
of the ipaddress.py that answered. Then run `go test ./ipnet/ -run Oracle`.

Format
------
Each file ipnet/testdata/oracle/<group>.jsonl.gz is gzip-compressed JSON
Lines: one record per line,

    {"op": NAME, "in": {...}, "out": ANSWER}          on success, or
    {"op": NAME, "in": {...}, "err": {"class": C, "msg": M}}

where C is the Python exception class name (AddressValueError,
NetmaskValueError, ValueError, TypeError, IndexError) and M is str(exception).
Integers that may exceed 2**53 are decimal strings; packed bytes are lowercase
hex. Addresses, networks and interfaces are written as Python's str() of the
object, which ipnet must parse back (an address never contains '/', a network
or interface always does). ipnet/testdata/README.md lists every op with its
input and output fields.
"""

import argparse
import gzip
import hashlib
import importlib.util
import io
import itertools
import json
import os
import random
import re
import sys
import traceback

DEFAULT_SEED = 3144  # PEP 3144
ENV_DIR = 'IPNET_PYTHON_IPADDRESS'

ipaddress = None  # the module under record, set by load_ipaddress


# --------------------------------------------------------------------------
# Loading and checking the ipaddress module.

def load_ipaddress(directory):
    """Import ipaddress from directory, or the interpreter's own if >= 3.13."""
    if directory:
        path = os.path.join(directory, 'ipaddress.py')
        if not os.path.isfile(path):
            sys.exit(f'ipnet_oracle: no ipaddress.py in {directory!r}')
        spec = importlib.util.spec_from_file_location('ipaddress', path)
        module = importlib.util.module_from_spec(spec)
        sys.modules['ipaddress'] = module
        spec.loader.exec_module(module)
    elif sys.version_info >= (3, 13):
        import ipaddress as module
        path = module.__file__
    else:
        sys.exit(
            'ipnet_oracle: Python %d.%d has the wrong ipaddress semantics; '
            'run it with a current Python 3.13, or point --ipaddress-dir or $%s '
            'at a directory holding CPython 3.13\'s Lib/ipaddress.py'
            % (sys.version_info[0], sys.version_info[1], ENV_DIR))
    problems = semantics_problems(module)
    if problems:
        sys.exit('ipnet_oracle: %s does not have Python 3.13 semantics:\n  %s'
                 % (path, '\n  '.join(problems)))
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return module, path, digest


def semantics_problems(m):
    """Describe what in module m differs from the 3.13 branch, if anything."""
    problems = []
    if not hasattr(m.IPv4Address, 'ipv6_mapped'):
        problems.append('IPv4Address.ipv6_mapped is missing (3.13.0)')
    if str(m.IPv6Address('::ffff:1.2.3.4')) != '::ffff:1.2.3.4':
        problems.append('IPv4-mapped addresses do not print as ::ffff:a.b.c.d (3.13.0)')
    if not m.IPv4Address('192.0.0.9').is_global:
        problems.append('192.0.0.9 is not global: old IANA tables (3.13.0)')
    if not m.IPv6Address('::ffff:224.0.0.1').is_multicast:
        problems.append('IPv4-mapped is_multicast ignores the IPv4 address (gh-122792, 3.13.1)')
    if not m.IPv6Address('3fff::1').is_private:
        problems.append('3fff::/20 is not private (gh-124217, 3.13.1)')
    try:
        m.IPv6Address('0' * 46 + '::')
        problems.append('46-character IPv6 text accepted (gh-128840)')
    except m.AddressValueError as e:
        if not str(e).startswith('At most 45 characters expected'):
            problems.append('long IPv6 text not rejected early (gh-128840)')
    return problems


# --------------------------------------------------------------------------
# Recording.

class Corpus:
    """Records grouped into files, each written as gzip-compressed JSON Lines."""

    def __init__(self):
        self.groups = {}
        self.ops = {}

    def add(self, group, op, inp, fn, annotate=None):
        """Record fn()'s answer, or the exception it raised, for op on inp.

        annotate, if given, maps the exception to extra fields for "err".
        """
        rec = {'op': op, 'in': inp}
        try:
            rec['out'] = fn()
        except Exception as e:  # every exception is an answer worth keeping
            rec['err'] = {'class': type(e).__name__, 'msg': str(e)}
            if annotate:
                rec['err'].update(annotate(e))
        line = json.dumps(rec, ensure_ascii=False, separators=(',', ':'))
        self.groups.setdefault(group, []).append(line)
        self.ops[op] = self.ops.get(op, 0) + 1
        return rec

    def write(self, outdir, manifest):
        os.makedirs(outdir, exist_ok=True)
        files = {}
        for group, lines in sorted(self.groups.items()):
            name = group + '.jsonl.gz'
            buf = io.BytesIO()
            # mtime=0 and no file name keep the output reproducible.
            with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0,
                               compresslevel=9) as gz:
                for line in lines:
                    gz.write(line.encode('utf-8') + b'\n')
            with open(os.path.join(outdir, name), 'wb') as f:
                f.write(buf.getvalue())
            files[name] = len(lines)
        manifest['files'] = files
        manifest['ops'] = dict(sorted(self.ops.items()))
        with open(os.path.join(outdir, 'manifest.json'), 'w') as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write('\n')
        return files


def opt(x):
    """str(x), or None for None."""
    return None if x is None else str(x)


def properties(obj, getters):
    """Read every property in getters (name -> function of obj).

    A property that raises does not hide the others: its exception goes to
    out['errors'][name] and the property is left out. (In 3.13, for example,
    exploded and reverse_pointer raise for an IPv6 address with a scope id.)
    """
    out = {}
    for name, get in getters.items():
        try:
            out[name] = get(obj)
        except Exception as e:
            out.setdefault('errors', {})[name] = {'class': type(e).__name__, 'msg': str(e)}
    return out


ADDRESS_FLAGS = ('is_multicast', 'is_private', 'is_global', 'is_unspecified',
                 'is_reserved', 'is_loopback', 'is_link_local')


def flag_getters(version):
    names = ADDRESS_FLAGS + (('is_site_local',) if version == 6 else ())
    return {name: (lambda o, name=name: getattr(o, name)) for name in names}


COMMON_GETTERS = {
    'version': lambda o: o.version,
    'max_prefixlen': lambda o: o.max_prefixlen,
    'str': str,
    'exploded': lambda o: o.exploded,
    'compressed': lambda o: o.compressed,
    'reverse_pointer': lambda o: o.reverse_pointer,
}

ADDRESS_GETTERS = dict(COMMON_GETTERS, **{
    'packed': lambda a: a.packed.hex(),
    'int': lambda a: str(int(a)),
})

V4_ADDRESS_GETTERS = dict(ADDRESS_GETTERS, **flag_getters(4), **{
    'ipv6_mapped': lambda a: str(a.ipv6_mapped),
})

V6_ADDRESS_GETTERS = dict(ADDRESS_GETTERS, **flag_getters(6), **{
    'scope_id': lambda a: a.scope_id,
    'ipv4_mapped': lambda a: opt(a.ipv4_mapped),
    'sixtofour': lambda a: opt(a.sixtofour),
    'teredo': lambda a: None if a.teredo is None else [str(x) for x in a.teredo],
})


def describe_address(a):
    return properties(a, V4_ADDRESS_GETTERS if a.version == 4 else V6_ADDRESS_GETTERS)


HOSTS_SHOWN = 4
HOSTS_COUNTED = 1 << 12  # hosts() is iterated fully up to this many addresses


NETWORK_GETTERS = dict(COMMON_GETTERS, **{
    'network_address': lambda n: str(n.network_address),
    'broadcast_address': lambda n: str(n.broadcast_address),
    'netmask': lambda n: str(n.netmask),
    'hostmask': lambda n: str(n.hostmask),
    'prefixlen': lambda n: n.prefixlen,
    'num_addresses': lambda n: str(n.num_addresses),
    'with_prefixlen': lambda n: n.with_prefixlen,
    'with_netmask': lambda n: n.with_netmask,
    'with_hostmask': lambda n: n.with_hostmask,
    'hosts_head': lambda n: [str(h) for h in itertools.islice(n.hosts(), HOSTS_SHOWN)],
})


def describe_network(n):
    out = properties(n, dict(NETWORK_GETTERS, **flag_getters(n.version)))
    if n.num_addresses <= HOSTS_COUNTED:
        hosts = [str(h) for h in n.hosts()]
        out['hosts_tail'] = hosts[-HOSTS_SHOWN:]
        out['hosts_count'] = len(hosts)
    return out


INTERFACE_GETTERS = dict(ADDRESS_GETTERS, **{
    'ip': lambda i: str(i.ip),
    'network': lambda i: str(i.network),
    'netmask': lambda i: str(i.netmask),
    'hostmask': lambda i: str(i.hostmask),
    'with_prefixlen': lambda i: i.with_prefixlen,
    'with_netmask': lambda i: i.with_netmask,
    'with_hostmask': lambda i: i.with_hostmask,
})


def describe_interface(i):
    getters = dict(INTERFACE_GETTERS, **flag_getters(i.version))
    if i.version == 6:
        getters['scope_id'] = lambda i: i.scope_id
    return properties(i, getters)


def parse_item(s):
    """An address or a network from its str() form."""
    return ipaddress.ip_network(s) if '/' in s else ipaddress.ip_address(s)


# --------------------------------------------------------------------------
# Input generation. Every choice below only shapes the inputs; the answers
# all come from ipaddress.

SPECIAL_V4 = [
    '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8',
    '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.0.0/29',
    '192.0.0.8/32', '192.0.0.9/32', '192.0.0.10/32', '192.0.0.170/31',
    '192.0.2.0/24', '192.31.196.0/24', '192.52.193.0/24', '192.88.99.0/24',
    '192.168.0.0/16', '192.175.48.0/24', '198.18.0.0/15', '198.51.100.0/24',
    '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32',
]

SPECIAL_V6 = [
    '::/128', '::1/128', '::/96', '::ffff:0:0/96', '::ffff:0:0:0/96',
    '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '100::/8', '2001::/23',
    '2001::/32', '2001:1::1/128', '2001:1::2/128', '2001:1::3/128',
    '2001:2::/48', '2001:3::/32', '2001:4:112::/48', '2001:10::/28',
    '2001:20::/28', '2001:30::/28', '2001:db8::/32', '2002::/16',
    '2620:4f:8000::/48', '3fff::/20', '3fff:1000::/20', '5f00::/16',
    'fc00::/7', 'fe80::/10', 'fec0::/10', 'fe00::/9', 'ff00::/8', 'ff02::/16',
    '200::/7', '400::/6', '800::/5', '1000::/4', '4000::/3', '6000::/3',
    '8000::/3', 'a000::/3', 'c000::/3', 'e000::/4', 'f000::/5', 'f800::/6',
]

SCOPES_OK = ['eth0', '1', '0', 'lo', 'en0.100', 'x' * 30, 'wlan-0_1', 'αβγ',
             ' ', 'a b', '::', ':', '.', "'", '"', 'é']

JUNK_CHARS = ['.', ':', '/', '%', '0', '1', '9', 'f', 'F', 'g', 'x', ' ', '\t',
              '\n', '+', '-', '_', "'", '"', '\\', '\x00', '\u200b', 'é',
              '٣', '١', '２', '𝟏', '\u00a0', '[', ']', '*', '#']


class Gen:
    """Seeded generator of interesting inputs."""

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.special4 = [self._span(s, 32) for s in SPECIAL_V4]
        self.special6 = [self._span(s, 128) for s in SPECIAL_V6]

    @staticmethod
    def _span(cidr, bits):
        addr, plen = cidr.split('/')
        base = int(ipaddress.ip_address(addr))
        size = 1 << (bits - int(plen))
        base &= ~(size - 1)
        return base, base + size - 1

    def _near(self, spans, bits):
        lo, hi = self.r.choice(spans)
        pick = self.r.randrange(6)
        v = (lo, hi, lo - 1, hi + 1, self.r.randint(lo, hi), self.r.randint(lo, hi))[pick]
        return v % (1 << bits)

    def v4_int(self):
        k = self.r.randrange(10)
        if k < 4:
            return self.r.getrandbits(32)
        if k < 8:
            return self._near(self.special4, 32)
        if k == 8:
            return self.r.choice([0, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000])
        return self.r.getrandbits(8) << (8 * self.r.randrange(4))

    def v6_int(self):
        r = self.r
        k = r.randrange(14)
        if k < 3:
            return r.getrandbits(128)
        if k < 6:
            return self._near(self.special6, 128)
        if k < 8:  # sparse: many zero hextets, exercises '::' placement
            v = 0
            for _ in range(8):
                v = (v << 16) | (r.getrandbits(16) if r.random() < 0.4 else 0)
            return v
        if k == 8:
            return 0xFFFF << 32 | self.v4_int()  # IPv4-mapped
        if k == 9:
            return self.v4_int()  # IPv4-compatible
        if k == 10:  # Teredo
            return 0x20010000 << 96 | r.getrandbits(96)
        if k == 11:  # 6to4
            return 0x2002 << 112 | self.v4_int() << 80 | r.getrandbits(80)
        if k == 12:
            return r.choice([0, 1, (1 << 128) - 1, (1 << 128) - 2, 1 << 127,
                             0xFFFF << 32, 0xFFFF << 48, 0xFFFF0000 << 32])
        return r.getrandbits(16) << (16 * r.randrange(8))

    # Text forms of valid addresses.

    def v4_text(self, v):
        return '.'.join(str(b) for b in v.to_bytes(4, 'big'))

    def v6_text(self, v):
        """One of the many valid spellings of IPv6 address v."""
        r = self.r
        hextets = [(v >> (16 * (7 - i))) & 0xFFFF for i in range(8)]
        style = r.randrange(4)
        def hx(h):
            if style == 0:
                return '%x' % h
            if style == 1:
                return '%04x' % h
            if style == 2:
                return ('%X' if r.random() < 0.5 else '%x') % h
            return '%0*x' % (r.randint(1, 4), h)
        tail4 = r.random() < 0.2
        groups = [hx(h) for h in hextets[:6 if tail4 else 8]]
        if tail4:
            groups.append(self.v4_text(v & 0xFFFFFFFF))
        # Compress a random run of zero hextets (not necessarily the longest).
        runs = []
        i = 0
        n = 6 if tail4 else 8
        while i < n:
            if hextets[i] == 0:
                j = i
                while j < n and hextets[j] == 0:
                    j += 1
                runs.append((i, j))
                i = j
            else:
                i += 1
        if runs and r.random() < 0.8:
            i, j = r.choice(runs)
            a = r.randint(i, j - 1)
            b = r.randint(a + 1, j)
            head, tail = groups[:a], groups[b:]
            return ':'.join(head) + '::' + ':'.join(tail)
        return ':'.join(groups)

    def v4_addr_text(self):
        return self.v4_text(self.v4_int())

    def v6_addr_text(self, scope_chance=0.1):
        s = self.v6_text(self.v6_int())
        if self.r.random() < scope_chance:
            s += '%' + self.r.choice(SCOPES_OK)
        return s

    def prefix_text(self, version):
        r = self.r
        bits = 32 if version == 4 else 128
        k = r.randrange(20)
        if k < 14:
            return str(r.randint(0, bits))
        if k == 14:
            return str(r.choice([0, 1, bits - 1, bits]))
        if k == 15:
            return '0' * r.randint(1, 3) + str(r.randint(0, bits))
        if version == 4 and k < 19:
            p = r.randint(0, 32)
            mask = (0xFFFFFFFF << (32 - p)) & 0xFFFFFFFF
            if k == 17:
                mask ^= 0xFFFFFFFF  # hostmask form
            return self.v4_text(mask)
        return str(r.randint(0, bits))

    # Invalid and edge-case text.

    def mutate(self, s):
        r = self.r
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            k = r.randrange(6)
            pos = r.randint(0, len(s))
            if k == 0 and s:
                pos = min(pos, len(s) - 1)
                s = s[:pos] + s[pos + 1:]
            elif k == 1:
                s = s[:pos] + r.choice(JUNK_CHARS) + s[pos:]
            elif k == 2 and s:
                pos = min(pos, len(s) - 1)
                s = s[:pos] + r.choice(JUNK_CHARS) + s[pos + 1:]
            elif k == 3 and s:
                a = r.randint(0, len(s) - 1)
                b = r.randint(a, min(len(s), a + 6))
                s = s[:b] + s[a:b] + s[b:]
            elif k == 4:
                s = s[:pos]
            else:
                s = r.choice(['', ' ', '\t', '\n', '0', ':', '.', '/']) + s + \
                    r.choice(['', ' ', '\n', '.', ':', '/', '%'])
        return s

    def v4_broken(self):
        r = self.r
        octs = [str(b) for b in self.v4_int().to_bytes(4, 'big')]
        k = r.randrange(14)
        i = r.randrange(4)
        if k == 0:
            octs[i] = '0' + octs[i]
        elif k == 1:
            octs[i] = str(r.randint(256, 999))
        elif k == 2:
            octs[i] = str(r.randint(1000, 99999))
        elif k == 3:
            octs[i] = ''
        elif k == 4:
            del octs[i]
        elif k == 5:
            octs.insert(i, str(r.randint(0, 255)))
        elif k == 6:
            octs[i] = r.choice(['0x1', '1e2', '+1', '-1', ' 1', '1 ', 'a', '0o7', '٣', '１', '𝟏'])
        elif k == 7:
            octs[i] = '0' * r.randint(2, 5)
        elif k == 8:
            octs[i] = '00' + str(r.randint(0, 9))
        elif k == 9:
            return '.'.join(octs) + '.'
        elif k == 10:
            return '.' + '.'.join(octs)
        elif k == 11:
            return '.'.join(octs[:2]) + '..' + '.'.join(octs[2:])
        elif k == 12:
            return str(int.from_bytes(bytes(int(o) for o in octs), 'big'))
        else:
            octs[i] = '0' * r.randint(1, 2) + octs[i]
        return '.'.join(octs)

    def v6_broken(self):
        r = self.r
        v = self.v6_int()
        full = ['%x' % ((v >> (16 * (7 - i))) & 0xFFFF) for i in range(8)]
        k = r.randrange(20)
        if k == 0:
            return ':'.join(full + ['1'])  # 9 groups
        if k == 1:
            return ':'.join(full[:r.randint(1, 7)])  # too few, no '::'
        if k == 2:
            return ':'.join(full[:3]) + '::' + full[4] + '::' + full[6]
        if k == 3:
            return ':'.join(full[:4]) + ':::' + full[7]
        if k == 4:
            return ':' + ':'.join(full)
        if k == 5:
            return ':'.join(full) + ':'
        if k == 6:
            return ':' + ':'.join(full[:4]) + '::1'
        if k == 7:
            return '1::' + ':'.join(full[:3]) + ':'
        if k == 8:
            return '::'.join([':'.join(full[:4]), ':'.join(full[4:])])  # 8 + '::'
        if k == 9:
            full[r.randrange(8)] = '%05x' % r.getrandbits(16)
            return ':'.join(full)
        if k == 10:
            full[r.randrange(8)] = r.choice(['g', 'fffg', '-1', '+1', ' 1', '٣', '１', '0x1', ''])
            return ':'.join(full)
        if k == 11:
            return '::' + self.v4_broken()
        if k == 12:
            return '::ffff:' + self.v4_addr_text() + ':1'
        if k == 13:
            return ':'.join(full[:6]) + ':' + self.v4_addr_text() + ':1'
        if k == 14:
            return ':'.join(full[:7]) + ':' + self.v4_addr_text()  # 9 parts with v4
        if k == 15:  # long but otherwise fine: leading zeros up to and past 45 chars
            return ':'.join('0' * r.randint(4, 6) + h for h in full[:r.randint(6, 8)])
        if k == 16:
            return self.v6_addr_text(0) + '%'
        if k == 17:
            return self.v6_addr_text(0) + '%' + r.choice(['a%b', '%', '%%', 'eth0%'])
        if k == 18:
            return ':'.join(full[:2]) + '::' + ':'.join(full[2:])  # '::' with 8 groups
        return r.choice([':', '::', ':::', '1:', ':1', '1::2::3', '::ffff:1.2.3', '1:2:3:4:5:6:7::8',
                         '::1.2.3.4.5', '::1.2.3.4:5', '1.2.3.4::', 'fe80::1%', '[::1]',
                         '::0x1', '0:0:0:0:0:0:0:0:0', '::' + '0' * 44, '0' * 43 + '::',
                         '1111:2222:3333:4444:5555:6666:255.255.255.255',
                         '1111:2222:3333:4444:5555:6666:7777:255.255.255.255'])

    def long_text(self):
        r = self.r
        unit = r.choice(['1', '0', 'f', ':', '1:', '0:', '.', '1.', 'é', '٣', '::'])
        n = r.choice([44, 45, 46, 47, 90, 99, 100, 101, 150, 300, 1000])
        s = (unit * n)[:n] if r.random() < 0.5 else unit * n
        if r.random() < 0.3:
            s = self.v6_addr_text(0) + s
        return s


def address_strings(g, n):
    """n inputs for the address, network and interface constructors."""
    r = g.r
    fixed = [
        '', ' ', '0', '1', '.', ':', '::', ':::', '/', '%', '0.0.0.0', '255.255.255.255',
        '1.2.3.4', '01.2.3.4', '1.2.3.04', '1.2.3.4 ', ' 1.2.3.4', '1.2.3', '1.2.3.4.5',
        '256.0.0.0', '1.2.3.-4', '1.2.3.+4', '1.2..4', '١.٢.٣.٤', '１.２.３.４', '::1', '::',
        '::ffff:1.2.3.4', '::ffff:0102:0304', '::1.2.3.4', 'fe80::1%eth0', 'fe80::1%',
        'fe80::1%%', 'fe80::1%a%b', 'FE80::ABCD', '2001:db8::', '2001:DB8::1',
        '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::3:4:5:6:7:8',
        '1:2:3:4:5:6:1.2.3.4', '::ffff:255.255.255.255', '0:0:0:0:0:ffff:1.2.3.4',
        'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7',
        '1::2::3', '12345::', '::g', '1.2.3.4%eth0', '0000:0000:0000:0000:0000:0000:0000:0001',
        '00000::1', '1.2.3.4/32', '::1/128', 'fe80::%1', 'fe80::%eth0/64', '\u00a01.2.3.4',
        '1.2.3.4\n', '::1\n', '2001::1', '2002:c000:0204::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2',
        '3fff::', '3fff:fff:ffff::', '3fff:1000::', '192.0.0.9', '192.0.0.10', '192.0.0.8',
        '192.0.0.255', '100.64.0.1', '::ffff:100.64.0.1', '::ffff:192.0.0.9', '::ffff:127.0.0.1',
        '::ffff:0.0.0.0', '::ffff:169.254.1.1', '::ffff:240.0.0.1', '::ffff:224.0.0.1',
        '64:ff9b::1.2.3.4', '64:ff9b:1::1', '2001:1::1', '2001:1::2', '2001:1::3',
        '2001:3::1', '2001:4:112::1', '2001:20::1', '2001:30::1', '2001:40::1',
        '1111:2222:3333:4444:5555:6666:255.255.255.255',
    ]
    out = list(fixed)
    seen = set(out)
    out += [x for x in CURATED if not (x in seen or seen.add(x))]
    while len(out) < n:
        k = r.randrange(100)
        if k < 22:
            out.append(g.v4_addr_text())
        elif k < 44:
            out.append(g.v6_addr_text())
        elif k < 54:
            out.append(g.v4_broken())
        elif k < 66:
            out.append(g.v6_broken())
        elif k < 74:
            base = g.v4_addr_text() if r.random() < 0.5 else g.v6_addr_text()
            out.append(g.mutate(base))
        elif k < 76:
            out.append(g.long_text())
        else:
            out.append(network_string(g))
    return out


# Hand-picked inputs: masks in every form, the edges of each special block,
# IPv4 tails in the wrong places, over-long text.
CURATED = [
    '192.168.0.1', '10.1.2.3', '127.0.0.1', '169.254.1.1', '224.0.0.1', '240.0.0.1',
    '192.0.0.170', '1.2.3.256', '1..3.4', '1.2.3.', '1.2.3.1000', '1.2.3.a', '1.2.3.٣',
    '1.2.3.4/24', '::/0', '1::', ':1::2', '1::2:', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
    '::ffff:169.254.0.1', '::ffff:01.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '1:2:3:4:5::1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4', '::1.2.3', '::1.2.3.4:5', '2001:db8:0:0:1:0:0:1', '2001:0:0:1::1',
    '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::12345', '2001:db8::g',
    'fe80::1%eth0/64', '::ffff:1.2.3.4%x', '2002:c000:204::1', 'ff02::1', 'fec0::1',
    'fe80::1', 'fc00::1', '3fff::1', '100::1', '100::1:0:0:0:1',
    '0000:0000:0000:0000:0000:ffff:255.255.255.255',
    '0000:0000:0000:0000:0000:ffff:255.255.255.2555',
    '1234567890123456789012345678901234567890123456', '1234567890' * 11, '1.2.3.4/24/3',
    '1.2.3.4/255.255.255.0', '1.2.3.0/255.255.255.0', '1.2.3.0/0.0.0.255', '1.2.3.0/024',
    '1.2.3.0/24', '1.2.3.0/33', '1.2.3.0/-1', '1.2.3.0/+24', '1.2.3.0/ 24',
    '1.2.3.0/255.0.255.0', '1.2.3.0/0.0.0.0', '0.0.0.0/0', '1.2.3.4/255.255.255.255',
    '1.2.3.4/', '/24', '1.2.3.4/31', '1.2.3.4/30', '1.2.3.4/1.2.3.4', '10.0.0.0/8',
    '100.64.0.0/10', '100.64.0.0/11', '192.0.0.0/29', '192.0.0.8/29', '2001:db8::/32',
    '2001:db8::1/32', '2001:db8::/129', '2001:db8::/0128', '2001:db8::/ffff::', '::/128',
    '::1/127', '::1/64', '::ffff:0:0/96', '::ffff:1.2.3.0/120', '::ffff:127.0.0.1/128',
    '::ffff:127.0.0.1/104', '::ffff:1.2.3.4/64', 'fe80::/10', 'fec0::/10', 'ff00::/8',
    '2001::/23', '2001::/22', '0.0.0.0/32', '0.0.0.0/255.255.255.255', '::/128%x',
    'fe80::%eth0/128', '::ffff:0.0.0.0/128', '::ffff:0.0.0.0/96',
]


def network_string(g):
    """A network or interface spelling, valid or nearly so."""
    r = g.r
    v4 = r.random() < 0.5
    if v4:
        addr = g.v4_int()
        plen = r.randint(0, 32)
        if r.random() < 0.5:  # make it a clean network address
            addr &= (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
        base = g.v4_text(addr)
    else:
        addr = g.v6_int()
        plen = r.randint(0, 128)
        if r.random() < 0.5:
            addr &= ((1 << 128) - 1) ^ ((1 << (128 - plen)) - 1)
        base = g.v6_text(addr)
        if r.random() < 0.05:
            base += '%' + r.choice(SCOPES_OK)
    k = r.randrange(20)
    if k < 12:
        return '%s/%d' % (base, plen)
    if k < 15:
        return '%s/%s' % (base, g.prefix_text(4 if v4 else 6))
    if k == 15:
        return base
    bad = r.choice(['', '-1', '+8', ' 8', '8 ', '33', '129', '1000', '2 4', '٢٤', '１',
                    '0x10', '8/8', '/8', '255.0.255.0', '0.255.0.255', '255.255.255.256',
                    '255.255.255.0.0', '255.255.255', 'ffff::', '::', '24.0', '0' * 20 + '8',
                    '255.255.255.255', '0.0.0.0', '1.0.0.0', '127.255.255.255', '01', '024'])
    return '%s/%s' % (base, bad)


def record_constructors(c, strings):
    A = ipaddress
    for s in strings:
        inp = {'s': s}
        c.add('address', 'ip_address', inp, lambda: describe_address(A.ip_address(s)))
        c.add('address', 'IPv4Address', inp, lambda: str(A.IPv4Address(s)))
        c.add('address', 'IPv6Address', inp, lambda: str(A.IPv6Address(s)))
        for strict in (True, False):
            inp = {'s': s, 'strict': strict}
            c.add('network', 'ip_network', inp,
                  lambda: describe_network(A.ip_network(s, strict=strict)))
            c.add('network', 'IPv4Network', inp, lambda: str(A.IPv4Network(s, strict)))
            c.add('network', 'IPv6Network', inp, lambda: str(A.IPv6Network(s, strict)))
        inp = {'s': s}
        c.add('interface', 'ip_interface', inp, lambda: describe_interface(A.ip_interface(s)))
        c.add('interface', 'IPv4Interface', inp, lambda: str(A.IPv4Interface(s)))
        c.add('interface', 'IPv6Interface', inp, lambda: str(A.IPv6Interface(s)))


def record_integer_and_packed(c, g):
    A = ipaddress
    r = g.r
    ints = [0, 1, -1, 2**32 - 1, 2**32, 2**32 + 1, 2**128 - 1, 2**128, 2**128 + 1,
            -2**32, -2**128, 2**64, 2**127, 0xFFFF << 32 | 0x7F000001, 10**40]
    for _ in range(600):
        ints.append(r.choice([g.v4_int(), g.v6_int(), r.getrandbits(r.randint(1, 140)),
                              -r.getrandbits(r.randint(1, 140))]))
    for v in ints:
        inp = {'int': str(v)}
        c.add('integer', 'ip_address_int', inp, lambda: describe_address(A.ip_address(v)))
        c.add('integer', 'IPv4Address_int', inp, lambda: str(A.IPv4Address(v)))
        c.add('integer', 'IPv6Address_int', inp, lambda: str(A.IPv6Address(v)))
        c.add('integer', 'ip_network_int', inp, lambda: str(A.ip_network(v)))
        c.add('integer', 'ip_interface_int', inp, lambda: str(A.ip_interface(v)))
    blobs = [bytes(n) for n in range(18)]
    for _ in range(300):
        blobs.append(r.getrandbits(8 * 17).to_bytes(17, 'big')[:r.choice([3, 4, 4, 5, 15, 16, 16, 17])])
    for b in blobs:
        inp = {'packed': b.hex()}
        c.add('integer', 'ip_address_packed', inp, lambda: str(A.ip_address(b)))
        c.add('integer', 'IPv4Address_packed', inp, lambda: str(A.IPv4Address(b)))
        c.add('integer', 'IPv6Address_packed', inp, lambda: str(A.IPv6Address(b)))
    # Networks built from an (address, prefix) pair, as IPv4Network((a, p)).
    for _ in range(1500):
        v6 = r.random() < 0.5
        bits = 128 if v6 else 32
        a = g.v6_int() if v6 else g.v4_int()
        addr = r.choice([a, a, g.v6_text(a) if v6 else g.v4_text(a)])
        p = r.choice([r.randint(0, bits), r.randint(0, bits), -1, bits + 1,
                      str(r.randint(0, bits)), g.prefix_text(6 if v6 else 4)])
        strict = r.random() < 0.5
        inp = {'addr': str(addr), 'addr_is_int': isinstance(addr, int),
               'prefix': str(p), 'prefix_is_int': isinstance(p, int), 'strict': strict}
        cls = A.IPv6Network if v6 else A.IPv4Network
        c.add('integer', 'IPv6Network_tuple' if v6 else 'IPv4Network_tuple', inp,
              lambda: str(cls((addr, p), strict)))


def random_network(g, version=None, min_prefix=0):
    r = g.r
    if version is None:
        version = r.choice((4, 6))
    if version == 4:
        plen = r.randint(min_prefix, 32)
        v = g.v4_int()
        return ipaddress.IPv4Network((v, plen), strict=False)
    plen = r.choice([r.randint(min_prefix, 128), r.randint(max(min_prefix, 96), 128),
                     r.randint(max(min_prefix, 32), 64)])
    v = g.v6_int()
    return ipaddress.IPv6Network((v, plen), strict=False)


def related_network(g, n):
    """A network near n: itself, a sub- or supernet, a sibling or a stranger."""
    r = g.r
    k = r.randrange(8)
    if k == 0:
        return n
    if k in (1, 2) and n.prefixlen < n.max_prefixlen:
        p = r.randint(n.prefixlen, n.max_prefixlen)
        off = r.getrandbits(n.max_prefixlen - n.prefixlen)
        return n.__class__((int(n.network_address) + off, p), strict=False)
    if k in (3, 4) and n.prefixlen > 0:
        return n.supernet(new_prefix=r.randint(0, n.prefixlen))
    if k == 5:
        size = n.num_addresses
        v = (int(n.network_address) + r.choice([size, -size])) % (1 << n.max_prefixlen)
        return n.__class__((v, n.prefixlen))
    if k == 6:
        return random_network(g, 10 - n.version)  # other version
    return random_network(g, n.version)


def related_address(g, n, same_version=False):
    r = g.r
    k = r.randrange(6 if same_version else 7)
    lo, hi = int(n.network_address), int(n.broadcast_address)
    top = (1 << n.max_prefixlen) - 1
    if k == 0:
        v = lo
    elif k == 1:
        v = hi
    elif k == 2:
        v = max(lo - 1, 0)
    elif k == 3:
        v = min(hi + 1, top)
    elif k == 4:
        v = r.randint(lo, hi)
    elif k == 5:
        v = r.randint(0, top)
    else:
        return g.v4_addr_text() if n.version == 6 else g.v6_addr_text(0)
    a = ipaddress.ip_address(v) if n.version == 4 else ipaddress.IPv6Address(v)
    s = str(a)
    if n.version == 6 and r.random() < 0.1:
        s += '%' + r.choice(SCOPES_OK)
    return s


def record_network_methods(c, g, count):
    A = ipaddress
    r = g.r
    extra = [A.ip_network(s) for s in (
        '0.0.0.0/0', '::/0', '255.255.255.255/32', '0.0.0.0/32', '::/128',
        'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', '10.0.0.0/31', '10.0.0.0/30',
        '2001:db8::/127', '2001:db8::/126', 'fe80::%eth0/64', 'fe80::1%eth0/128',
        '::ffff:0.0.0.0/96', '192.168.0.0/16', '2001:db8::/32')]
    nets = extra + [random_network(g) for _ in range(count)]
    for n in nets:
        s = str(n)
        bits = n.max_prefixlen
        c.add('methods', 'network', {'s': s}, lambda: describe_network(n))
        # subnets()
        cases = [{}, {'prefixlen_diff': 2}, {'prefixlen_diff': 0},
                 {'prefixlen_diff': r.randint(1, 8)}, {'prefixlen_diff': r.choice([-1, bits + 1])},
                 {'new_prefix': min(bits, n.prefixlen + r.randint(0, 10))},
                 {'new_prefix': r.randint(0, bits)},
                 {'new_prefix': n.prefixlen - 1},
                 {'new_prefix': min(bits, n.prefixlen + 1), 'prefixlen_diff': 2},
                 {'new_prefix': min(bits, n.prefixlen + 1), 'prefixlen_diff': 1}]
        for kw in r.sample(cases, 5):
            inp = dict(kw, net=s)
            c.add('methods', 'subnets', inp, lambda: subnets_answer(n, kw))
        # supernet()
        cases = [{}, {'prefixlen_diff': r.randint(0, 8)}, {'prefixlen_diff': n.prefixlen},
                 {'prefixlen_diff': n.prefixlen + 1}, {'new_prefix': r.randint(0, n.prefixlen)},
                 {'new_prefix': n.prefixlen + 1}, {'new_prefix': max(0, n.prefixlen - 1), 'prefixlen_diff': 2},
                 {'new_prefix': r.randint(0, bits)}]
        for kw in r.sample(cases, 4):
            inp = dict(kw, net=s)
            c.add('methods', 'supernet', inp, lambda: str(n.supernet(**kw)))
        # n[i]
        size = n.num_addresses
        for i in sorted({0, 1, -1, -2, size - 1, size, -size, -size - 1, r.randrange(size),
                         -1 - r.randrange(size), size + r.randint(0, 10)}):
            c.add('methods', 'getitem', {'net': s, 'index': str(i)}, lambda: str(n[i]))


SUBNETS_SHOWN = 8


def subnets_answer(n, kw):
    it = n.subnets(**kw)
    head = [str(x) for x in itertools.islice(it, SUBNETS_SHOWN)]
    out = {'head': head}
    rest = sum(1 for _ in itertools.islice(it, 4096))
    if rest < 4096:
        out['count'] = len(head) + rest
    return out


def record_binary(c, g, count):
    A = ipaddress
    r = g.r
    for _ in range(count):
        n = random_network(g)
        m = related_network(g, n)
        a, b = (n, m) if r.random() < 0.5 else (m, n)
        inp = {'a': str(a), 'b': str(b)}
        c.add('binary', 'overlaps', inp, lambda: a.overlaps(b))
        c.add('binary', 'subnet_of', inp, lambda: a.subnet_of(b))
        c.add('binary', 'supernet_of', inp, lambda: a.supernet_of(b))
        c.add('binary', 'compare_networks', inp, lambda: a.compare_networks(b))
        c.add('binary', 'network_eq', inp, lambda: a == b)
        c.add('binary', 'network_lt', inp, lambda: a < b)
        addr_s = related_address(g, n)
        addr = A.ip_address(addr_s)
        c.add('binary', 'contains', {'net': str(n), 'addr': addr_s}, lambda: addr in n)
        # address_exclude: mostly a contained subnet, a few bits deeper.
        if r.random() < 0.5:
            big = random_network(g, min_prefix=0)
            deeper = min(big.max_prefixlen, big.prefixlen + r.randint(0, 24))
            off = r.getrandbits(big.max_prefixlen - big.prefixlen) if big.prefixlen < big.max_prefixlen else 0
            small = big.__class__((int(big.network_address) + off, deeper), strict=False)
            if r.random() < 0.15:
                small = related_network(g, big)
            c.add('binary', 'address_exclude', {'a': str(big), 'b': str(small)},
                  lambda: [str(x) for x in big.address_exclude(small)])
    for a_s, b_s in (('10.0.0.0/8', '::/0'), ('::/0', '10.0.0.0/8')):
        a, b = A.ip_network(a_s), A.ip_network(b_s)
        inp = {'a': a_s, 'b': b_s}
        for op, fn in (('address_exclude', lambda: [str(x) for x in a.address_exclude(b)]),
                       ('compare_networks', lambda: a.compare_networks(b)),
                       ('subnet_of', lambda: a.subnet_of(b)), ('supernet_of', lambda: a.supernet_of(b)),
                       ('overlaps', lambda: a.overlaps(b)), ('network_lt', lambda: a < b),
                       ('network_eq', lambda: a == b)):
            c.add('binary', op, inp, fn)
    # Scoped networks in address_exclude and friends.
    for a_s, b_s in (('fe80::/64', 'fe80::%eth0/64'), ('fe80::%eth0/64', 'fe80::/64'),
                     ('fe80::%eth0/64', 'fe80::%eth0/65'), ('fe80::/64', 'fe80::%x/128'),
                     ('fe80::%eth0/64', 'fe80::%eth1/64')):
        a, b = A.ip_network(a_s), A.ip_network(b_s)
        inp = {'a': a_s, 'b': b_s}
        c.add('binary', 'address_exclude', inp, lambda: [str(x) for x in a.address_exclude(b)])
        # The same pair without scope ids, which ipnet ignores here.
        ua, ub = A.ip_network(re.sub('%[^/]*', '', a_s)), A.ip_network(re.sub('%[^/]*', '', b_s))
        c.add('binary', 'address_exclude', {'a': str(ua), 'b': str(ub)},
              lambda: [str(x) for x in ua.address_exclude(ub)])
        c.add('binary', 'network_eq', inp, lambda: a == b)
        c.add('binary', 'network_lt', inp, lambda: a < b)
        c.add('binary', 'compare_networks', inp, lambda: a.compare_networks(b))
        c.add('binary', 'subnet_of', inp, lambda: a.subnet_of(b))


def record_address_ops(c, g, count):
    A = ipaddress
    r = g.r
    # Offsets at the edges of int64 and of the address spaces.
    for sa, d in (('1.2.3.4', 1), ('255.255.255.255', 1), ('0.0.0.0', -1), ('::', -1),
                  ('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 1),
                  ('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 2**63 - 1),
                  ('::', 2**63 - 1), ('::', 2**63), ('::', -2**63), ('::1', 2**64),
                  ('0.0.0.0', -2**63), ('0.0.0.0', 2**63 - 1), ('fe80::1%eth0', 1),
                  ('::ffff:1.2.3.4%eth0', -1), ('::', 2**128 - 1), ('::1', 2**128 - 1)):
        a = A.ip_address(sa)
        inp = {'a': sa, 'delta': str(d)}
        c.add('addrops', 'address_add', inp, lambda: str(a + d))
        c.add('addrops', 'address_sub', inp, lambda: str(a - d))
    for _ in range(count):
        v6 = r.random() < 0.5
        sa = g.v6_addr_text() if v6 else g.v4_addr_text()
        a = A.ip_address(sa)
        k = r.randrange(5)
        if k == 0:
            sb = g.v6_addr_text() if v6 else g.v4_addr_text()
        elif k == 1:
            sb = sa
        elif k == 2:
            sb = str(A.ip_address(int(a)))  # same value, scope dropped
        elif k == 3:
            sb = g.v4_addr_text() if v6 else g.v6_addr_text()
        else:
            sb = str(A.ip_address(int(a) ^ 1))
        if r.random() < 0.5:
            sa, sb = sb, sa
        a, b = A.ip_address(sa), A.ip_address(sb)
        inp = {'a': sa, 'b': sb}
        c.add('addrops', 'address_eq', inp, lambda: a == b)
        c.add('addrops', 'address_lt', inp, lambda: a < b)
        top = (1 << a.max_prefixlen) - 1
        for d in (r.randint(-1000, 1000), top - int(a), top - int(a) + 1, -int(a), -int(a) - 1,
                  r.getrandbits(a.max_prefixlen + 2) * r.choice((1, -1))):
            inp = {'a': sa, 'delta': str(d)}
            c.add('addrops', 'address_add', inp, lambda: str(a + d))
            c.add('addrops', 'address_sub', inp, lambda: str(a - d))
    # Interfaces compare by network first, then address; and arithmetic on them
    # builds a full-length interface.
    for _ in range(count // 4):
        n = random_network(g)
        m = related_network(g, n) if r.random() < 0.7 else n
        ia = n.__class__._address_class  # keeps the version of n
        ia = A.ip_interface((int(ia(related_address(g, n, same_version=True).split('%')[0])), n.prefixlen))
        ib = m.__class__._address_class
        ib = A.ip_interface((int(ib(related_address(g, m, same_version=True).split('%')[0])), m.prefixlen))
        inp = {'a': str(ia), 'b': str(ib)}
        c.add('addrops', 'interface_eq', inp, lambda: ia == ib)
        c.add('addrops', 'interface_lt', inp, lambda: ia < ib)
        top = (1 << ia.max_prefixlen) - 1
        d = r.choice([r.randint(-300, 300), r.randint(-300, 300), top - int(ia),
                      top - int(ia) + 1, -int(ia), -int(ia) - 1, 2**63 - 1, -2**63,
                      2**64 + r.randint(0, 9)])
        inp = {'a': str(ia), 'delta': str(d)}
        c.add('addrops', 'interface_add', inp, lambda: str(ia + d))
        c.add('addrops', 'interface_sub', inp, lambda: str(ia - d))
    # format(address, spec)
    specs = ['', 's', 'b', 'x', 'X', 'n', '#b', '#x', '#X', '#n', '_b', '_x', '_X', '_n',
             '#_b', '#_x', '#_X', '#_n', '>45s', '<20', '^50s', 'q', '#', '_', 'd', 'o', '10b']
    for _ in range(count // 2):
        s = g.v6_addr_text() if r.random() < 0.5 else g.v4_addr_text()
        a = A.ip_address(s)
        spec = r.choice(specs) if r.random() < 0.4 else format_spec(r)
        c.add('addrops', 'format', {'a': s, 'spec': spec}, lambda: format(a, spec))


def format_spec(r):
    """A random format spec, mostly well-formed for str or int, some not."""
    parts = []
    if r.random() < 0.4:
        if r.random() < 0.5:
            parts.append(r.choice(['x', '*', ' ', '0', '<', '=', '_', 'é', '٣', '\u2007']))
        parts.append(r.choice('<>^='))
    for opts, p in (('+- ', 0.1), ('z', 0.05), ('#', 0.2), ('0', 0.2)):
        if r.random() < p:
            parts.append(r.choice(opts))
    if r.random() < 0.6:
        parts.append(str(r.choice([0, 1, 7, 15, 39, 40, 41, 50, 64])))
    elif r.random() < 0.05:
        parts.append(r.choice(['٣', '𝟓', '١٢', '9' * 20, '0' * 5]))
    if r.random() < 0.2:
        parts.append(r.choice([',', '_', ',_', '_,']))
    if r.random() < 0.25:
        parts.append('.' + r.choice(['', '0', '3', '7', '20', '٣']))
    if r.random() < 0.1:
        parts.append(r.choice(JUNK_CHARS))
    parts.append(r.choice(['s', 's', 's', 'x', 'X', 'b', 'n', '', 'd', 'o', 'S']))
    return ''.join(parts)


def sort_order_dependent(exc):
    """Mark a TypeError raised while sorting, not while splitting the input.

    collapse_addresses checks versions only among addresses and among
    networks. An IPv6 address among IPv4 networks (or the reverse) gets as far
    as sorted(), whose first mixed comparison raises; which pair it names
    depends on the sort's internals and differs between CPython releases, so
    only the class of such an error is recorded (msg is null).
    """
    frames = traceback.extract_tb(exc.__traceback__)
    if any(f.name == '_collapse_addresses_internal' for f in frames):
        return {'msg': None, 'order_dependent': True}
    return {}


def record_collapse(c, items):
    """Record collapse_addresses(items).

    When the items mix IP versions and a network precedes an address, also
    record the same items with the addresses moved to the front: ipnet,
    which takes addresses and networks in separate lists, checks them in
    that order, and oracle_test.go holds its error message to Python's for
    that order.
    """
    A = ipaddress
    objs = [parse_item(s) for s in items]
    c.add('collections', 'collapse_addresses', {'items': items},
          lambda: [str(x) for x in A.collapse_addresses(objs)], sort_order_dependent)
    addrs = [s for s in items if '/' not in s]
    nets = [s for s in items if '/' in s]
    if len({o.version for o in objs}) > 1 and addrs and items != addrs + nets:
        record_collapse(c, addrs + nets)


def record_collections(c, g, count):
    A = ipaddress
    r = g.r
    for items in (['1.2.3.4', '::1'], ['::1/128', '1.2.3.4'], ['1.2.3.0/24', '::1'],
                  ['::/0', '0.0.0.0/0'], ['fe80::%eth0/64', 'fe80::1%eth1'], []):
        record_collapse(c, items)
    for _ in range(count):
        version = r.choice((4, 6))
        base = random_network(g, version, min_prefix=0)
        span = base.max_prefixlen - base.prefixlen
        items = []
        for _ in range(r.choice([1, 2, 3, 5, 10, 30, 60, 100, 200])):
            k = r.randrange(10)
            if k < 5 and span:  # subnets of one base merge a lot
                p = r.randint(base.prefixlen, min(base.max_prefixlen, base.prefixlen + 10))
                off = r.getrandbits(span)
                items.append(str(base.__class__((int(base.network_address) + off, p), strict=False)))
            elif k < 8:  # addresses, often consecutive
                v = int(base.network_address) + (r.getrandbits(span) if span else 0)
                for j in range(r.randint(1, 5)):
                    items.append(str(A.ip_address(v + j) if version == 4 else A.IPv6Address(min(v + j, 2**128 - 1))))
            elif k < 9 and items:
                items.append(r.choice(items))  # duplicates
            else:
                items.append(str(random_network(g, version)))
        if r.random() < 0.08:  # mixed versions: TypeError
            other = random_network(g, 10 - version)
            items.insert(r.randint(0, len(items)), str(other if r.random() < 0.5 else other.network_address))
        record_collapse(c, items)
        if r.random() < 0.5:  # sort networks and addresses together, any versions
            mixed = items[:30] + [str(random_network(g)) for _ in range(r.randint(0, 5))]
            mixed += [g.v4_addr_text() for _ in range(r.randint(0, 3))]
            mobjs = [parse_item(s) for s in mixed]
            c.add('collections', 'sort_mixed', {'items': mixed},
                  lambda: [str(x) for x in sorted(mobjs, key=A.get_mixed_type_key)])
    for first, last in (('0.0.0.0', '255.255.255.255'), ('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'),
                        ('1.2.3.5', '1.2.3.4'), ('1.2.3.4', '::1'), ('::1', '1.2.3.4'),
                        ('fe80::1%eth0', 'fe80::ff%eth1')):
        fa, fb = A.ip_address(first), A.ip_address(last)
        c.add('collections', 'summarize_address_range', {'first': first, 'last': last},
              lambda: [str(x) for x in A.summarize_address_range(fa, fb)])
    for _ in range(count):
        version = r.choice((4, 6))
        n = random_network(g, version)
        k = r.randrange(8)
        lo, hi = int(n.network_address), int(n.broadcast_address)
        if k < 4:
            a, b = sorted((r.randint(lo, hi), r.randint(lo, hi)))
        elif k == 4:
            a, b = r.randint(lo, hi), r.randint(lo, hi)
        elif k == 5:
            a, b = lo, hi
        elif k == 6:
            a = b = r.randint(lo, hi)
        else:
            a, b = 0, (1 << n.max_prefixlen) - 1
        cls = A.IPv4Address if version == 4 else A.IPv6Address
        fa, fb = cls(a), cls(b)
        if r.random() < 0.05:
            fb = A.ip_address(g.v6_addr_text(0) if version == 4 else g.v4_addr_text())
        inp = {'first': str(fa), 'last': str(fb)}
        c.add('collections', 'summarize_address_range', inp,
              lambda: [str(x) for x in A.summarize_address_range(fa, fb)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ipaddress-dir', default=os.environ.get(ENV_DIR),
                    help='directory holding CPython 3.13 ipaddress.py (default $%s)' % ENV_DIR)
    ap.add_argument('--seed', type=int, default=DEFAULT_SEED)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'ipnet', 'testdata', 'oracle'))
    ap.add_argument('--scale', type=float, default=1.0,
                    help='multiply the number of generated inputs')
    args = ap.parse_args()

    global ipaddress
    ipaddress, path, digest = load_ipaddress(args.ipaddress_dir)
    g = Gen(args.seed)
    c = Corpus()
    def n(x):
        return max(1, int(x * args.scale))
    record_constructors(c, address_strings(g, n(9000)))
    record_integer_and_packed(c, g)
    record_network_methods(c, g, n(3000))
    record_binary(c, g, n(4000))
    record_address_ops(c, g, n(3000))
    record_collections(c, g, n(1200))
    manifest = {
        'seed': args.seed,
        'scale': args.scale,
        'ipaddress_sha256': digest,
        'generator': 'scripts/ipnet_oracle.py',
    }
    files = c.write(os.path.normpath(args.out), manifest)
    total = sum(files.values())
    for name, count in sorted(files.items()):
        print('%-28s %7d records' % (name, count))
    print('%-28s %7d records from %s (sha256 %s)' % ('total', total, path, digest[:16]))


if __name__ == '__main__':
    main()
