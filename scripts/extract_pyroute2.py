#!/usr/bin/python3
"""Extract the pyroute2 nla maps behind rtm's schemas into a JSON file.

Usage: /usr/bin/python3 scripts/extract_pyroute2.py [OUT]
       (default: tools/gen/rtnl/pyroute2.json next to this script)

Requires Debian's python3-pyroute2 (0.7.2), which is why it is run with
/usr/bin/python3. It is needed only when pyroute2 is bumped: the Go
generator (tools/gen, subcommand rtnl) reads the committed JSON, so that
regenerating rtm/zschema_*.go needs Go alone.

The output records pyroute2's facts and nothing of the generator's rules:
every class reachable from the message classes rtm uses (ifinfmsg with its
kind plugins, ifaddrmsg, rtmsg with its encaps, ndmsg, ndtmsg, fibmsg),
each with its qualified name, declared prefix, nla map (position, C name,
type name), struct fields, and what each type name of its map resolves to
in that class (an nlmsg_atoms atom or another class); the address family
numbers pyroute2 takes from the socket module; and pyroute2's version.
"""

import json
import os
import socket
import subprocess
import sys

from pyroute2.netlink import nlmsg_atoms
from pyroute2.netlink.rtnl import ifinfmsg as ifinfmod
from pyroute2.netlink.rtnl.fibmsg import fibmsg
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
from pyroute2.netlink.rtnl.ndmsg import ndmsg
from pyroute2.netlink.rtnl.ndtmsg import ndtmsg
from pyroute2.netlink.rtnl.rtmsg import rtmsg

ifinfmsg = ifinfmod.ifinfmsg

CLASSES = {}  # id -> record
IDS = {}      # python id(cls) -> id
AF = {}


def class_id(cls):
    if id(cls) in IDS:
        return IDS[id(cls)]
    base = '%s:%s' % (cls.__module__, cls.__qualname__)
    cid, n = base, 1
    while cid in CLASSES:
        n += 1
        cid = '%s#%d' % (base, n)
    IDS[id(cls)] = cid
    CLASSES[cid] = None  # reserve before recursing
    CLASSES[cid] = record(cls)
    return cid


def entries(cls):
    out = []
    for i, item in enumerate(cls.nla_map or ()):
        if isinstance(item[0], int):
            pos, cname, t = item[0], item[1], item[2]
        else:
            pos, cname, t = i, item[0], item[1]
        out.append([pos, cname, t])
    return out


def record(cls):
    rec = {
        'qualname': cls.__qualname__,
        'prefix': getattr(cls, 'prefix', None) or None,
        'nla_map': entries(cls),
        'fields': [[f[0], f[1]] for f in (getattr(cls, 'fields', None) or ())],
        'types': {},
    }
    for _, cname, t in rec['nla_map']:
        if cname.startswith('AF_') and hasattr(socket, cname):
            AF[cname] = int(getattr(socket, cname))
        t = t.lstrip('*')
        if t == 'none' or t in rec['types']:
            continue
        obj = getattr(cls, t, None)
        if not isinstance(obj, type):
            rec['types'][t] = {'other': True}  # a dispatch method
            continue
        is_atom = hasattr(nlmsg_atoms, t) and obj is getattr(nlmsg_atoms, t)
        rec['types'][t] = {'atom': is_atom, 'class': class_id(obj)}
    return rec


def package_version(pkg):
    try:
        out = subprocess.run(['dpkg-query', '-W', '-f=${Version}', pkg],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        out = ''
    return out or 'unknown'


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'tools', 'gen', 'rtnl', 'pyroute2.json')
    info = ifinfmsg.ifinfo
    roots = {
        'ifinfmsg': class_id(ifinfmsg),
        'ifinfmsg.ifinfo': class_id(info),
        'ifinfmsg.ifinfo.bridge_slave_data': class_id(info.bridge_slave_data),
        'ifinfmsg.ifinfo.bond_slave_data': class_id(info.bond_slave_data),
        'ifinfmsg.af_spec_inet': class_id(ifinfmsg.af_spec_inet),
        'ifinfmsg.af_spec_inet.inet6': class_id(ifinfmsg.af_spec_inet.inet6),
        'ifinfmsg.af_spec_bridge': class_id(ifinfmsg.af_spec_bridge),
        'protinfo_bridge': class_id(ifinfmod.protinfo_bridge),
        'ifaddrmsg': class_id(ifaddrmsg),
        'rtmsg': class_id(rtmsg),
        'ndmsg': class_id(ndmsg),
        'ndtmsg': class_id(ndtmsg),
        'fibmsg': class_id(fibmsg),
    }
    data = {
        'version': package_version('python3-pyroute2'),
        'roots': roots,
        'data_map': {k: class_id(c) for k, c in info.data_map.items()},
        'encaps': {str(k): class_id(c) for k, c in rtmsg.encaps.items()},
        'af': AF,
        'classes': CLASSES,
    }
    with open(out, 'w') as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.write('\n')


if __name__ == '__main__':
    main()
