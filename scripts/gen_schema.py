#!/usr/bin/python3
"""Generate rtm/zschema_*.go, the by-name schemas of rtnetlink messages.

Usage: scripts/gen_schema.py [OUTDIR]        (default: rtm next to this script)

Requires Debian's python3-pyroute2 (0.7.2) and the kernel's uapi headers
(linux-libc-dev), and is run with /usr/bin/python3 because that is where
Debian installs pyroute2.

Sources, and which one wins:

  * Names and types come from pyroute2's nla maps (ifinfmsg and its kind
    plugins, ifaddrmsg, rtmsg, ndmsg, fibmsg, ndtmsg). A name is pyroute2's:
    the C constant without the prefix its class declares, lower-cased, so
    that Get("linkinfo", "data", "vxlan_id") finds what pyroute2's
    get(('linkinfo', 'data', 'vxlan_id')) finds. Classes that declare no
    prefix get one from PREFIXES below.
  * Numeric values come from the kernel headers in /usr/include/linux. Where
    pyroute2's position in its map disagrees, the header wins and the
    generated file says so in a comment.
  * Attributes the headers define and pyroute2 lacks are added, with the
    types in KERNEL_TYPES below, read off the kernel's nla_policy tables and
    fill functions. A header attribute without a type there stops the
    generator, so a header update cannot silently leave names out.
  * Layouts of struct attributes come from the header's struct, with
    pyroute2's field names where pyroute2 has the field.
  * TYPE_FIXES lists the few places where pyroute2's type contradicts the
    kernel; the kernel wins there too.
  * Nexthop messages (RTM_NEWNEXTHOP) are missing from pyroute2 0.7.2: their
    schema is nexthop.h with types from KERNEL_TYPES.

The output is deterministic: running the generator twice gives the same
files, and gofmt leaves them alone. It is static data: composite literals of
strings, slices and pointers only (no maps, no function calls), which the
compiler lays out without package init code and the linker drops from
programs that never look attributes up by name. Lookups by name and by kind
search sorted slices (schema.byName, kindSchemas) instead of maps; rtm's
TestSchemaSearchOrder checks the order and TestSchemaGenerated that the
committed files are this script's output.
"""

import inspect
import os
import re
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
INCLUDE = '/usr/include/linux'
HEADERS = (
    'if_ether.h', 'if_link.h', 'if_addr.h', 'rtnetlink.h', 'neighbour.h',
    'fib_rules.h', 'nexthop.h', 'lwtunnel.h', 'if_bridge.h', 'if_tunnel.h',
    'veth.h', 'mpls_iptunnel.h', 'seg6.h', 'seg6_iptunnel.h', 'seg6_local.h',
    'ip.h', 'ipv6.h', 'snmp.h',
)


# ---------------------------------------------------------------- headers

class Headers:
    """Enum and #define values and simple structs of uapi headers."""

    def __init__(self, files):
        self.values = {}   # constant -> value
        self.enum_of = {}  # constant -> [(constant, value)] of its enum
        self.structs = {}  # struct name -> [(ctype, member, count or None)]
        for f in files:
            with open(os.path.join(INCLUDE, f)) as fh:
                self._parse(fh.read())

    def _eval(self, expr):
        expr = re.sub(r'\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1', expr.strip())
        return int(eval(expr, {'__builtins__': {}}, dict(self.values)))

    def _parse(self, text):
        text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
        text = re.sub(r'//[^\n]*', ' ', text)
        for m in re.finditer(r'^\s*#\s*define\s+(\w+)\s+([^\n]+)$', text, flags=re.M):
            name, expr = m.group(1), m.group(2).strip()
            if name != expr and name not in self.values:
                try:
                    self.values[name] = self._eval(expr)
                except Exception:
                    pass  # macros and strings: not needed
        text = re.sub(r'^\s*#[^\n]*$', ' ', text, flags=re.M)
        for m in re.finditer(r'\benum\s*\w*\s*\{(.*?)\}', text, flags=re.S):
            members, nxt = [], 0
            for item in m.group(1).split(','):
                name, _, expr = item.strip().partition('=')
                name = name.strip()
                if not name:
                    continue
                val = self._eval(expr) if expr.strip() else nxt
                self.values[name] = val
                members.append((name, val))
                nxt = val + 1
            for name, _ in members:
                self.enum_of[name] = members
        for m in re.finditer(r'\bstruct\s+(\w+)\s*\{([^{}]*)\}\s*;', text, flags=re.S):
            fields = []
            for decl in m.group(2).split(';'):
                decl = ' '.join(decl.split())
                if not decl:
                    continue
                dm = re.match(r'(.+?)\s*\b(\w+)\s*(?:\[(\w*)\])?$', decl)
                try:
                    ctype, member, count = dm.groups()
                    if count is not None:
                        count = self._eval(count) if count else 0
                except Exception:
                    fields = None
                    break
                fields.append((ctype, member, count))
            if fields is not None:
                self.structs[m.group(1)] = fields

    def members(self, first):
        """The attribute constants of the enum holding first, without the
        UNSPEC entry and the __MAX sentinels."""
        return [(n, v) for n, v in self.enum_of[first]
                if not n.startswith('__') and not n.endswith('_UNSPEC')]


H = Headers(HEADERS)


# ------------------------------------------------------------ type tables

# PREFIXES gives a prefix to pyroute2 classes that declare none (pyroute2
# then wants the whole C name). Link kind data use IFLA_ like pyroute2's
# other kinds ("vxlan_id", "geneve_id"); other nests strip their own family.
PREFIXES = {
    'ifinfbase.proplist': 'IFLA_',
    'ifinfbase.vflist': 'IFLA_VF_',
    'ifinfbase.vflist.vfinfo.vf_stats': 'IFLA_VF_STATS_',
    'ifinfbase.vflist.vfinfo.vf_vlist': 'IFLA_VF_VLAN_',
    'ifinfbase.af_spec_inet': 'AF_',
    'ifinfbase.ifinfo.veth_data': 'VETH_INFO_',
    'ifinfbase.ifinfo.bond_slave_data': 'IFLA_BOND_SLAVE_',
    'macvx_data.macaddr_data': 'IFLA_',
    'bond.ad_info': 'IFLA_BOND_AD_INFO_',
    'vlan.qos': 'IFLA_VLAN_QOS_',
    'geneve': 'IFLA_',
    'gtp': 'IFLA_',
    'xfrm': 'IFLA_',
    'ndtmsg': 'NDTA_',
    'ndtmsg.parms': 'NDTPA_',
    'rtmsg_base.seg6_encap_info': 'SEG6_IPTUNNEL_',
    'rtmsg_base.bpf_encap_info': 'LWT_BPF_',
    'rtmsg_base.bpf_encap_info.bpf_obj': 'LWT_BPF_PROG_',
    'rtmsg_base.seg6local_encap_info': 'SEG6_LOCAL_',
    'rtmsg_base.seg6local_encap_info.bpf_obj': 'LWT_BPF_PROG_',
}

# ALIASES maps pyroute2's spelling of a constant to the header's: pyroute2
# renames the shared tunnel enums per kind to keep its names apart.
ALIAS_PREFIXES = (
    ('IFLA_IPIP_', 'IFLA_IPTUN_'),
    ('IFLA_SIT_', 'IFLA_IPTUN_'),
    ('IFLA_IP6TNL_', 'IFLA_IPTUN_'),
    ('IFLA_IP6GRE_', 'IFLA_GRE_'),
    ('IFLA_MACVTAP_', 'IFLA_MACVLAN_'),
    ('IFLA_IF_NETNSID', 'IFLA_TARGET_NETNSID'),
)

# KERNEL_TYPES types the header attributes pyroute2 0.7.2 lacks, from the
# kernel's policies (net/core/rtnetlink.c ifla_policy, the drivers'
# *_policy tables, net/ipv4/fib_frontend.c rtm_ipv4_policy,
# net/core/fib_rules.c fib_rule_policy, net/ipv4/nexthop.c rtm_nh_policy_*,
# net/core/neighbour.c nda_policy/nl_ntbl_parm_policy) and, for attributes
# the kernel only sends, from the fill function that writes them.
KERNEL_TYPES = {
    # if_link.h: IFLA_*
    'IFLA_ALLMULTI': 'u32',
    # IFLA_BR_*
    'IFLA_BR_VLAN_STATS_PER_PORT': 'u8', 'IFLA_BR_MULTI_BOOLOPT': 'br_boolopt',
    'IFLA_BR_MCAST_QUERIER_STATE': 'binary',
    # IFLA_BRPORT_*
    'IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT': 'u32', 'IFLA_BRPORT_MCAST_EHT_HOSTS_CNT': 'u32',
    'IFLA_BRPORT_LOCKED': 'u8',
    # IFLA_IPTUN_*, IFLA_GRE_*, IFLA_VTI_*
    'IFLA_GRE_ERSPAN_INDEX': 'u32', 'IFLA_GRE_ERSPAN_VER': 'u8',
    'IFLA_GRE_ERSPAN_DIR': 'u8', 'IFLA_GRE_ERSPAN_HWID': 'u16',
    'IFLA_GRE_ENCAP_SPORT': 'be16', 'IFLA_GRE_ENCAP_DPORT': 'be16',
    'IFLA_GRE_COLLECT_METADATA': 'flag', 'IFLA_GRE_IGNORE_DF': 'u8',
    'IFLA_GRE_FWMARK': 'u32', 'IFLA_VTI_FWMARK': 'u32',
    'IFLA_IPTUN_ENCAP_SPORT': 'be16', 'IFLA_IPTUN_ENCAP_DPORT': 'be16',
    'IFLA_IPTUN_COLLECT_METADATA': 'flag',
    # IFLA_MACVLAN_*
    'IFLA_MACVLAN_BC_QUEUE_LEN': 'u32', 'IFLA_MACVLAN_BC_QUEUE_LEN_USED': 'u32',
    # IFLA_VRF_*, IFLA_VRF_PORT_*
    'IFLA_VRF_PORT_TABLE': 'u32',
    # IFLA_IPVLAN_*
    'IFLA_IPVLAN_FLAGS': 'u16',
    # IFLA_VXLAN_*
    'IFLA_VXLAN_VNIFILTER': 'u8',
    # IFLA_GENEVE_*
    'IFLA_GENEVE_INNER_PROTO_INHERIT': 'flag',
    # IFLA_BOND_*, IFLA_BOND_AD_INFO_*, IFLA_BOND_SLAVE_*
    'IFLA_BOND_AD_ACTOR_SYSTEM': 'hw', 'IFLA_BOND_PEER_NOTIF_DELAY': 'u32',
    'IFLA_BOND_AD_LACP_ACTIVE': 'u8', 'IFLA_BOND_MISSED_MAX': 'u8',
    'IFLA_BOND_NS_IP6_TARGET': 'array:addr', 'IFLA_BOND_COUPLED_CONTROL': 'u8',
    'IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE': 'u8',
    'IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE': 'u16',
    'IFLA_BOND_SLAVE_PRIO': 's32', 'IFLA_BOND_SLAVE_ACTOR_PORT_PRIO': 'u16',
    'IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE': 'u8',
    'IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE': 'u8',
    # IFLA_GTP_*
    'IFLA_GTP_ROLE': 'u32', 'IFLA_GTP_CREATE_SOCKETS': 'u8',
    'IFLA_GTP_RESTART_COUNT': 'u8',
    # IFLA_XFRM_*
    'IFLA_XFRM_COLLECT_METADATA': 'flag',
    # IFLA_INET6_*
    'IFLA_INET6_RA_MTU': 'u32',
    # IFLA_XDP_*
    'IFLA_XDP_EXPECTED_FD': 's32',
    # IFLA_VF_*
    'IFLA_VF_BROADCAST': 'binary', 'IFLA_VF_STATS_RX_DROPPED': 'u64',
    'IFLA_VF_STATS_TX_DROPPED': 'u64',
    # IFLA_BRIDGE_* (AF_SPEC of AF_BRIDGE messages)
    'IFLA_BRIDGE_VLAN_TUNNEL_INFO': 'binary', 'IFLA_BRIDGE_MRP': 'binary',
    'IFLA_BRIDGE_CFM': 'binary', 'IFLA_BRIDGE_MST': 'binary',
    # IFA_*
    'IFA_RT_PRIORITY': 'u32', 'IFA_TARGET_NETNSID': 's32', 'IFA_PROTO': 'u8',
    # RTA_*
    'RTA_UID': 'u32', 'RTA_TTL_PROPAGATE': 'u8', 'RTA_IP_PROTO': 'u8',
    'RTA_SPORT': 'be16', 'RTA_DPORT': 'be16', 'RTA_NH_ID': 'u32',
    'RTA_PAD': 'binary',
    # RTAX_*
    'RTAX_CC_ALGO': 'string', 'RTAX_FASTOPEN_NO_COOKIE': 'u32',
    # MPLS_IPTUNNEL_*, LWTUNNEL_IP_*, LWT_BPF_*, SEG6_*
    'LWT_BPF_PROG_NAME': 'string',
    'LWTUNNEL_IP_ID': 'be64', 'LWTUNNEL_IP_DST': 'addr', 'LWTUNNEL_IP_SRC': 'addr',
    'LWTUNNEL_IP_TTL': 'u8', 'LWTUNNEL_IP_TOS': 'u8', 'LWTUNNEL_IP_FLAGS': 'be16',
    'LWTUNNEL_IP_PAD': 'binary', 'LWTUNNEL_IP_OPTS': 'binary',
    'LWTUNNEL_IP6_ID': 'be64', 'LWTUNNEL_IP6_DST': 'addr', 'LWTUNNEL_IP6_SRC': 'addr',
    'LWTUNNEL_IP6_HOPLIMIT': 'u8', 'LWTUNNEL_IP6_TC': 'u8', 'LWTUNNEL_IP6_FLAGS': 'be16',
    'LWTUNNEL_IP6_PAD': 'binary', 'LWTUNNEL_IP6_OPTS': 'binary',
    'SEG6_LOCAL_COUNTERS': 'binary', 'SEG6_LOCAL_FLAVORS': 'binary',
    # NDA_*
    'NDA_LINK_NETNSID': 's32', 'NDA_SRC_VNI': 'u32', 'NDA_PROTOCOL': 'u8',
    'NDA_NH_ID': 'u32', 'NDA_FDB_EXT_ATTRS': 'binary',
    'NDA_FLAGS_EXT': 'u32', 'NDA_NDM_STATE_MASK': 'u16', 'NDA_NDM_FLAGS_MASK': 'u8',
    # NDTA_*, NDTPA_*
    'NDTA_PAD': 'binary', 'NDTPA_MCAST_REPROBES': 'u32', 'NDTPA_PAD': 'binary',
    'NDTPA_INTERVAL_PROBE_TIME_MS': 'u64',
    # FRA_*
    'FRA_FLOW': 'u32', 'FRA_UNUSED2': 'binary', 'FRA_UNUSED3': 'binary',
    'FRA_UNUSED4': 'binary', 'FRA_UNUSED5': 'binary', 'FRA_PAD': 'binary',
    # NHA_*: rtm_nh_policy_new, nh_fill_node
    'NHA_ID': 'u32', 'NHA_GROUP': 'binary', 'NHA_GROUP_TYPE': 'u16',
    'NHA_BLACKHOLE': 'flag', 'NHA_OIF': 'u32', 'NHA_GATEWAY': 'addr',
    'NHA_ENCAP_TYPE': 'u16', 'NHA_GROUPS': 'flag', 'NHA_MASTER': 'u32',
    'NHA_FDB': 'flag',
    'NHA_RES_GROUP_BUCKETS': 'u16', 'NHA_RES_GROUP_IDLE_TIMER': 'u32',
    'NHA_RES_GROUP_UNBALANCED_TIMER': 'u32', 'NHA_RES_GROUP_UNBALANCED_TIME': 'u64',
    'NHA_RES_GROUP_PAD': 'binary',
    'NHA_RES_BUCKET_INDEX': 'u16', 'NHA_RES_BUCKET_IDLE_TIME': 'u64',
    'NHA_RES_BUCKET_NH_ID': 'u32', 'NHA_RES_BUCKET_PAD': 'binary',
}

# TYPE_FIXES overrides pyroute2 where its type contradicts the kernel.
TYPE_FIXES = {
    'IFLA_PERM_ADDRESS': ('hw', 'pyroute2 hex: a hardware address (rtnl_fill_ifinfo)'),
    'IFLA_NEW_NETNSID': ('s32', 'pyroute2 be32: the kernel sends a host-order s32'),
    'IFLA_TARGET_NETNSID': ('s32', 'pyroute2 uint32: ifla_policy has NLA_S32'),
    'IFLA_XDP_FLAGS': ('u32', "pyroute2 '>H': ifla_xdp_policy has NLA_U32"),
    'IFLA_GENEVE_DF': ('u8', 'pyroute2 uint16: geneve_policy has NLA_U8'),
    'IFLA_BOND_AD_ACTOR_SYSTEM': ('hw', 'pyroute2 hex: a MAC address (NLA_BINARY, ETH_ALEN)'),
    'RTA_EXPIRES': ('u64', 'pyroute2 hex: the kernel puts a u64 (ipmr_fill_mroute)'),
    'IFLA_VXLAN_TTL_INHERIT': ('u8', 'pyroute2 flag: vxlan_fill_info puts a u8 (the policy says NLA_FLAG)'),
    'IFLA_VXLAN_LABEL': ('be32', 'pyroute2 uint32: a flow label in network order (nla_get_be32)'),
}

# STRUCTS lays out pyroute2's struct classes by the header's C struct:
# (struct, member prefix to drop for names pyroute2 lacks, member kinds
# that the C type alone does not tell).
STRUCTS = {
    'ifinfbase.ifstats': ('rtnl_link_stats', '', {}),
    'ifinfbase.ifstats64': ('rtnl_link_stats64', '', {}),
    'ifinfbase.ifmap': ('rtnl_link_ifmap', '', {}),
    'ifinfbase.vflist.vfinfo.vf_mac': ('ifla_vf_mac', '', {}),
    'ifinfbase.vflist.vfinfo.vf_vlan': ('ifla_vf_vlan', '', {}),
    'ifinfbase.vflist.vfinfo.vf_tx_rate': ('ifla_vf_tx_rate', '', {}),
    'ifinfbase.vflist.vfinfo.vf_spoofchk': ('ifla_vf_spoofchk', '', {}),
    'ifinfbase.vflist.vfinfo.vf_link_state': ('ifla_vf_link_state', '', {}),
    'ifinfbase.vflist.vfinfo.vf_rate': ('ifla_vf_rate', '', {}),
    'ifinfbase.vflist.vfinfo.vf_rss_query_en': ('ifla_vf_rss_query_en', '', {}),
    'ifinfbase.vflist.vfinfo.vf_trust': ('ifla_vf_trust', '', {}),
    'ifinfbase.vflist.vfinfo.vf_ib_node_guid': ('ifla_vf_guid', '', {}),
    'ifinfbase.vflist.vfinfo.vf_ib_port_guid': ('ifla_vf_guid', '', {}),
    'ifinfbase.vflist.vfinfo.vf_vlist.ivvi': ('ifla_vf_vlan_info', '', {}),
    'ifinfbase.af_spec_inet.inet6.ipv6_cache_info': ('ifla_cacheinfo', '', {}),
    'ifinfbase.af_spec_bridge.vlan_info': ('bridge_vlan_info', '', {}),
    # prio is two bytes, most significant first (br_stp_set_bridge_priority)
    'ifinfbase.ifinfo.bridge_data.br_id': ('ifla_bridge_id', '', {'prio': 'be16', 'addr': 'hw'}),
    'protinfo_bridge.br_id': ('ifla_bridge_id', '', {'prio': 'be16', 'addr': 'hw'}),
    'ifaddrmsg.cacheinfo': ('ifa_cacheinfo', '', {}),
    'rtmsg_base.cacheinfo': ('rta_cacheinfo', '', {}),
    'rtmsg_base.rta_mfc_stats': ('rta_mfc_stats', '', {}),
    'rtmsg_base.rtvia': ('rtvia', 'rtvia_', {'rtvia_addr': 'addr'}),
    'ndmsg.cacheinfo': ('nda_cacheinfo', '', {}),
    'ndtmsg.config': ('ndt_config', 'ndtc_', {}),
    'ndtmsg.stats': ('ndt_stats', 'ndts_', {}),
    'fibmsg.uid_range': ('fib_rule_uid_range', '', {}),
    'fibmsg.port_range': ('fib_rule_port_range', '', {}),
    'vxlan.port_range': ('ifla_vxlan_port_range', '', {}),
    'vlan.vlan_flags': ('ifla_vlan_flags', '', {}),
    'vlan.qos.qos_mapping': ('ifla_vlan_qos_mapping', '', {}),
}

CTYPES = {
    '__u8': ('u8', 1), '__u16': ('u16', 2), '__u32': ('u32', 4), '__u64': ('u64', 8),
    '__s32': ('s32', 4), 'int': ('s32', 4), '__be16': ('be16', 2), '__be32': ('be32', 4),
    '__kernel_sa_family_t': ('u16', 2), 'unsigned int': ('u32', 4),
}

ATOMS = {
    'uint8': 'u8', 'uint16': 'u16', 'uint32': 'u32', 'uint64': 'u64',
    'int32': 's32', 'be16': 'be16', 'be32': 'be32', 'be64': 'be64',
    'asciiz': 'string', 'string': 'string',
    'ipaddr': 'addr', 'ip4addr': 'addr', 'ip6addr': 'addr', 'target': 'addr',
    'l2addr': 'hw', 'lladdr': 'hw', 'flag': 'flag',
    'hex': 'binary', 'cdata': 'binary', 'array': 'binary', 'mpls_target': 'binary',
}

FORMATS = {
    'B': ('u8', 1), 'H': ('u16', 2), 'I': ('u32', 4), 'Q': ('u64', 8), 'uint64': ('u64', 8),
    'i': ('s32', 4), '>H': ('be16', 2), '>I': ('be32', 4),
}

# Scalar pyroute2 classes the format of their 'value' field does not
# describe: addresses decoded by hand.
SCALAR_CLASSES = {
    'rtmsg_base.seg6local_encap_info.nh4': 'addr',
    'rtmsg_base.seg6local_encap_info.nh6': 'addr',
}

GOKIND = {
    'flag': 'kindFlag', 'u8': 'kindU8', 'u16': 'kindU16', 'u32': 'kindU32',
    'u64': 'kindU64', 's32': 'kindS32', 'be16': 'kindBE16', 'be32': 'kindBE32',
    'be64': 'kindBE64', 'string': 'kindString', 'addr': 'kindAddr', 'hw': 'kindHW',
    'binary': 'kindBinary',
}

NOTES = []  # disagreements, for the generated comments and the report
MISSING = []  # header attributes without a type in KERNEL_TYPES


# ----------------------------------------------------------------- model

class Spec:
    """One attribute: a scalar kind, a nested Schema, a Struct, or a choice
    of schemas by a sibling attribute."""

    def __init__(self, kind, nested=None, struct=None, sibling=None, by_kind=None,
                 numeric=False, note=None):
        self.kind, self.nested, self.struct = kind, nested, struct
        self.sibling, self.by_kind, self.numeric, self.note = sibling, by_kind, numeric, note


class Schema:
    def __init__(self, go, name):
        self.go, self.name, self.entries = go, name, []  # (value, cname, name, Spec)


class Struct:
    def __init__(self, go, fields):
        self.go, self.fields = go, fields  # (name, kind, offset)


SCHEMAS = {}   # go name -> Schema
STRUCTVARS = {}


def strip(prefix, cname):
    return cname[len(prefix):].lower() if cname.startswith(prefix) else cname.lower()


def kernel_name(cname):
    for old, new in ALIAS_PREFIXES:
        if cname.startswith(old):
            return new + cname[len(old):]
    return cname


def pyroute2_name(kname, sample):
    """The pyroute2 spelling of header constant kname in a class whose
    constants look like sample."""
    for old, new in ALIAS_PREFIXES:
        if sample.startswith(old) and kname.startswith(new):
            return old + kname[len(new):]
    return kname


def go_ident(*parts):
    words = []
    for p in parts:
        words += [w for w in re.split(r'[^A-Za-z0-9]+', p) if w]
    s = words[0][:1].lower() + words[0][1:] + ''.join(w[:1].upper() + w[1:] for w in words[1:])
    return s


def struct_from_header(go, cstruct, member_prefix, kinds, names):
    fields, off = [], 0
    members = H.structs[cstruct]
    for i, (ctype, member, count) in enumerate(members):
        name = names[i] if i < len(names) else strip(member_prefix, member) if member_prefix else member
        if count is not None:
            # A byte array: a big-endian number if said so, else bytes
            # running to the end of the payload, so it must come last.
            kind = kinds.get(member, 'binary')
            if kind == 'be16' and ctype == '__u8' and count == 2:
                fields.append((name, kind, off))
                off += 2
                continue
            if kind not in ('hw', 'addr', 'binary') or i != len(members) - 1:
                sys.exit('struct %s: cannot lay out member %s' % (cstruct, member))
            fields.append((name, kind, off))
            continue
        kind, size = CTYPES[ctype]
        kind = kinds.get(member, kind)
        off = (off + size - 1) // size * size  # natural alignment
        fields.append((name, kind, off))
        off += size
    return Struct(go, fields)


def struct_from_pyroute2(go, cls):
    fields, off = [], 0
    for name, fmt in cls.fields:
        if fmt.endswith('s') or re.match(r'\d+B$', fmt):
            # A variable part ends the fixed layout; it runs to the end.
            fields.append((name, 'binary', off))
            break
        kind, size = FORMATS[fmt]
        fields.append((name, kind, off))
        off += size
    return Struct(go, fields)


def make_struct(cls, owner_go):
    q = cls.__qualname__
    go = go_ident(owner_go, 'fields')
    if q in STRUCTS:
        cstruct, mprefix, kinds = STRUCTS[q]
        go = go_ident(cstruct, 'fields')
        names = [f[0] for f in cls.fields if f[0] != 'value']
        st = struct_from_header(go, cstruct, mprefix, kinds, names)
        if names and len(names) > len(st.fields):
            NOTES.append('%s: pyroute2 has %d fields, struct %s %d; the header wins'
                         % (q, len(names), cstruct, len(st.fields)))
    else:
        st = struct_from_pyroute2(go, cls)
    if st.go in STRUCTVARS:
        return STRUCTVARS[st.go]
    STRUCTVARS[st.go] = st
    return st


def is_atom(cls, t):
    return hasattr(nlmsg_atoms, t) and getattr(cls, t, None) is getattr(nlmsg_atoms, t)


def resolve(cls, t, owner_go, cname):
    """Spec for pyroute2 type name t in class cls."""
    if t in ATOMS and is_atom(cls, t):
        return Spec(ATOMS[t])
    obj = getattr(cls, t)
    q = obj.__qualname__
    if q in SCALAR_CLASSES:
        return Spec(SCALAR_CLASSES[q])
    if q in STRUCTS:
        return Spec('struct', struct=make_struct(obj, owner_go))
    if obj.nla_map:
        return Spec('nested', nested=schema_from_class(obj, go_ident(owner_go, strip(prefix_of(cls), cname))))
    fields = [f for f in obj.fields if not f[0].startswith('__')]
    if len(fields) == 1 and fields[0][0] == 'value':
        fmt = fields[0][1]
        return Spec(FORMATS[fmt][0] if fmt in FORMATS else 'binary')
    if fields:
        return Spec('struct', struct=make_struct(obj, go_ident(owner_go, strip(prefix_of(cls), cname))))
    # A class of its own decoding (iw_event): keep the bytes.
    return Spec('binary')


def prefix_of(cls):
    q = cls.__qualname__
    if q in PREFIXES:
        return PREFIXES[q]
    if cls.prefix:
        return cls.prefix
    sys.exit('no prefix for pyroute2 class %s: add it to PREFIXES' % q)


def pyroute2_entries(cls):
    out = []
    for i, item in enumerate(cls.nla_map):
        if isinstance(item[0], int):
            pos, cname, t = item[0], item[1], item[2]
        else:
            pos, cname, t = i, item[0], item[1]
        out.append((pos, cname, t))
    return out


def kernel_spec(kname, owner_go, prefix):
    t = KERNEL_TYPES.get(kname)
    if t is None:
        MISSING.append(kname)
        return Spec('binary')
    if t.startswith('array:'):
        return array_spec(t[6:], owner_go, strip(prefix, kname))
    if t == 'br_boolopt':
        st = struct_from_header('brBooloptMultiFields', 'br_boolopt_multi', '', {}, [])
        STRUCTVARS[st.go] = st
        return Spec('struct', struct=st)
    return Spec(t)


# BOND_MAX_ARP_TARGETS (include/net/bonding.h; not in uapi): the kernel
# numbers the addresses of IFLA_BOND_ARP_IP_TARGET and _NS_IP6_TARGET 0..15.
ARRAY_LEN = 16


def array_spec(kind, owner_go, name):
    s = Schema(go_ident(owner_go, name, 'schema'), name)
    for i in range(ARRAY_LEN):
        s.entries.append((i, None, str(i), Spec(kind)))
    SCHEMAS[s.go] = s
    return Spec('nested', nested=s)


# NO_COMPLETE are classes that use a few constants of a larger enum.
NO_COMPLETE = {'ifinfbase.proplist', 'macvx_data.macaddr_data'}

BY_CLASS = {}


def schema_from_class(cls, go, name=None, special=None):
    """Build the schema of pyroute2 class cls, completed from the header.
    special maps a C name to a Spec for pyroute2's dispatch functions."""
    go = go if go.endswith('Schema') else go + 'Schema'
    if special is None and cls in BY_CLASS:
        return BY_CLASS[cls]
    if go in SCHEMAS:
        sys.exit('two schemas named %s' % go)
    prefix = prefix_of(cls)
    s = Schema(go, name or go[:-len('Schema')])
    SCHEMAS[go] = s
    if special is None:
        BY_CLASS[cls] = s
    owner = go[:-len('Schema')]
    seen = set()
    sample = None
    for pos, cname, t in pyroute2_entries(cls):
        if t == 'none' or cname.endswith('_UNSPEC'):
            continue
        kname = kernel_name(cname)
        sample = sample or cname
        if kname not in H.values and pos in seen:
            continue  # pyroute2's second name for one type (IFLA_BRIDGE_VLAN_FLAGS)
        if kname in H.values:
            value = H.values[kname]
            if value != pos:
                NOTES.append('%s: pyroute2 %d, header %d' % (cname, pos, value))
        elif kname.startswith('AF_'):
            value = getattr(socket, kname)
        else:
            sys.exit('%s (%s) is not in the headers' % (cname, kname))
        if value in seen:
            continue  # pyroute2's second name for one type (IFLA_BRIDGE_VLAN_FLAGS)
        seen.add(value)
        arr = t.startswith('*')
        t = t.lstrip('*')
        if special and cname in special:
            spec = special[cname]
        elif kname in TYPE_FIXES:
            kind, why = TYPE_FIXES[kname]
            spec = Spec(kind, note=why)
            if why:
                NOTES.append('%s: %s' % (kname, why))
        elif arr:
            spec = array_spec(resolve(cls, t, owner, cname).kind, owner, strip(prefix, cname))
        else:
            spec = resolve(cls, t, owner, cname)
        s.entries.append((value, kname, strip(prefix, cname), spec))
    # Complete from the header's enum.
    first = next((kernel_name(c) for _, c, t in pyroute2_entries(cls)
                  if kernel_name(c) in H.enum_of and not c.endswith('_UNSPEC')), None)
    if first and cls.__qualname__ not in NO_COMPLETE:
        for kname, value in H.members(first):
            if value in seen:
                continue
            seen.add(value)
            cname = pyroute2_name(kname, sample)
            s.entries.append((value, kname, strip(prefix, cname), kernel_spec(kname, owner, prefix)))
    s.entries.sort(key=lambda e: e[0])
    return s


def schema_from_header(go, name, first, prefix, specials=None):
    """A schema pyroute2 lacks, from the header enum holding first."""
    s = Schema(go, name)
    SCHEMAS[go] = s
    for kname, value in H.members(first):
        spec = (specials or {}).get(kname) or kernel_spec(kname, go[:-len('Schema')], prefix)
        s.entries.append((value, kname, strip(prefix, kname), spec))
    return s


# ---------------------------------------------------------- the families

IFINFO = ifinfmsg.ifinfo

# KIND_ALIASES are kernel link kinds pyroute2 does not list whose data is
# another kind's: erspan devices are filled by ipgre_fill_info, ipvtap by
# ipvlan_nl_fillinfo.
KIND_ALIASES = {'erspan': 'gre', 'ip6erspan': 'ip6gre', 'ipvtap': 'ipvlan'}


def devconf_struct(go, first, prefix, base):
    """An array of u32 indexed by an enum (IPV4_DEVCONF_*, DEVCONF_*) or of
    u64 (IPSTATS_MIB_*, ICMP6_MIB_*): a struct whose fields are named by the
    enum, lower-cased without prefix; the value at index v-base."""
    fields = []
    size = 8 if 'MIB' in first else 4
    for kname, value in H.enum_of[first]:
        if kname.startswith('__') or kname.endswith('_MAX'):
            continue
        fields.append((strip(prefix, kname), 'u64' if size == 8 else 'u32', (value - base) * size))
    st = Struct(go, fields)
    STRUCTVARS[go] = st
    return st


def link_family():
    # IFLA_INFO_DATA and _SLAVE_DATA by kind.
    data = {}
    for kind, cls in sorted(IFINFO.data_map.items()):
        if kind in ('tuntap', 'team', 'bridge_slave'):
            # tuntap and team are pyroute2 constructs, not kernel kinds.
            continue
        special = None
        if kind == 'veth':
            # VETH_INFO_PEER is a whole ifinfomsg, sent only in requests.
            special = {'VETH_INFO_PEER': Spec('binary')}
        data[kind] = schema_from_class(cls, go_ident(kind, 'data'), kind, special)
    for kind, same in KIND_ALIASES.items():
        data[kind] = data[same]
    slave = {
        'bridge': schema_from_class(IFINFO.bridge_slave_data, 'bridgePortDataSchema', 'bridge_slave'),
        'bond': schema_from_class(IFINFO.bond_slave_data, 'bondPortDataSchema', 'bond_slave'),
    }
    vrf_port = schema_from_header('vrfPortDataSchema', 'vrf_slave', 'IFLA_VRF_PORT_TABLE', 'IFLA_')
    slave['vrf'] = vrf_port

    info = schema_from_class(IFINFO, 'linkInfoSchema', 'linkinfo', special={
        'IFLA_INFO_DATA': Spec('nested', sibling='IFLA_INFO_KIND', by_kind='linkDataSchemas'),
        'IFLA_INFO_SLAVE_DATA': Spec('nested', sibling='IFLA_INFO_SLAVE_KIND', by_kind='linkSlaveDataSchemas'),
    })

    # IFLA_AF_SPEC of AF_UNSPEC messages: per address family. AF_INET holds
    # IFLA_INET_CONF (pyroute2 reads the nest as a flat struct, header and all).
    inet = Schema('linkAFInetSchema', 'inet')
    SCHEMAS[inet.go] = inet
    inet.entries.append((H.values['IFLA_INET_CONF'], 'IFLA_INET_CONF', 'conf', Spec(
        'struct', struct=devconf_struct('ipv4DevconfFields', 'IPV4_DEVCONF_FORWARDING', 'IPV4_DEVCONF_', 1))))
    inet6cls = ifinfmsg.af_spec_inet.inet6
    inet6 = schema_from_class(inet6cls, 'linkAFInet6Schema', 'inet6', special={
        'IFLA_INET6_CONF': Spec('struct', struct=devconf_struct('ipv6DevconfFields', 'DEVCONF_FORWARDING', 'DEVCONF_', 0)),
        'IFLA_INET6_STATS': Spec('struct', struct=devconf_struct('ipv6StatsFields', 'IPSTATS_MIB_NUM', 'IPSTATS_MIB_', 0)),
        'IFLA_INET6_ICMP6STATS': Spec('struct', struct=devconf_struct('icmp6StatsFields', 'ICMP6_MIB_NUM', 'ICMP6_MIB_', 0)),
    })
    afspec = schema_from_class(ifinfmsg.af_spec_inet, 'linkAFSpecSchema', 'af_spec', special={
        'AF_INET': Spec('nested', nested=inet), 'AF_INET6': Spec('nested', nested=inet6)})
    afbridge = schema_from_class(ifinfmsg.af_spec_bridge, 'linkAFBridgeSchema', 'af_spec')
    brport = schema_from_class(ifinfmod.protinfo_bridge, 'bridgePortSchema', 'protinfo')

    def link(go, protinfo, af):
        return schema_from_class(ifinfmsg, go, 'link', special={
            'IFLA_LINKINFO': Spec('nested', nested=info),
            'IFLA_PROTINFO': Spec('nested', nested=protinfo),
            'IFLA_AF_SPEC': Spec('nested', nested=af),
            'IFLA_WIRELESS': Spec('binary'),
        })
    # AF_UNSPEC and AF_INET6 messages (AF_INET6 ones carry IFLA_PROTINFO
    # with IFLA_INET6_*), and AF_BRIDGE ones (bridge link, bridge vlan).
    link('linkSchema', inet6, afspec)
    link('linkBridgeSchema', brport, afbridge)
    return data, slave


def route_family():
    encaps = {}
    names = {1: 'mpls', 5: 'seg6', 6: 'bpf', 7: 'seg6_local'}
    for typ, cls in sorted(rtmsg.encaps.items()):
        encaps[typ] = schema_from_class(cls, go_ident('encap', names[typ]), 'encap_' + names[typ])
    ip = schema_from_header('encapIPSchema', 'encap_ip', 'LWTUNNEL_IP_ID', 'LWTUNNEL_IP_')
    ip6 = schema_from_header('encapIP6Schema', 'encap_ip6', 'LWTUNNEL_IP6_ID', 'LWTUNNEL_IP6_')
    encaps[H.values['LWTUNNEL_ENCAP_IP']] = ip
    encaps[H.values['LWTUNNEL_ENCAP_IP6']] = ip6
    for k in [k for k in encaps if k not in (1, 2, 4, 5, 6, 7)]:
        sys.exit('unexpected encap %d' % k)
    by_type = {str(k): v.go for k, v in sorted(encaps.items())}
    encap = Spec('nested', sibling='RTA_ENCAP_TYPE', by_kind=by_type, numeric=True)
    schema_from_class(rtmsg, 'routeSchema', 'route', special={
        'RTA_ENCAP': encap,
        # rtnexthop records, not attributes: the route view decodes them.
        'RTA_MULTIPATH': Spec('binary', note='struct rtnexthop records'),
    })
    return by_type


def nexthop_family(encap_by_type):
    res_group = schema_from_header('nexthopResGroupSchema', 'res_group', 'NHA_RES_GROUP_BUCKETS', 'NHA_RES_GROUP_')
    res_bucket = schema_from_header('nexthopResBucketSchema', 'res_bucket', 'NHA_RES_BUCKET_INDEX', 'NHA_RES_BUCKET_')
    schema_from_header('nexthopSchema', 'nexthop', 'NHA_ID', 'NHA_', specials={
        'NHA_ENCAP': Spec('nested', sibling='NHA_ENCAP_TYPE', by_kind=encap_by_type, numeric=True),
        'NHA_RES_GROUP': Spec('nested', nested=res_group),
        'NHA_RES_BUCKET': Spec('nested', nested=res_bucket),
    })


def build():
    data, slave = link_family()
    schema_from_class(ifaddrmsg, 'addrSchema', 'addr')
    encap_by_type = route_family()
    nexthop_family(encap_by_type)
    schema_from_class(ndmsg, 'neighSchema', 'neigh')
    schema_from_class(ndtmsg, 'neighTableSchema', 'neigh_table')
    schema_from_class(fibmsg, 'ruleSchema', 'rule')
    return data, slave


# ------------------------------------------------------------------ output

FILES = {
    'link': ('linkSchema', 'linkBridgeSchema'),
    'addr': ('addrSchema',),
    'route': ('routeSchema', 'nexthopSchema'),
    'neigh': ('neighSchema', 'neighTableSchema'),
    'rule': ('ruleSchema',),
}


def reachable(root):
    """Schemas and structs reachable from root, in a stable order."""
    schemas, structs, stack = [], [], [SCHEMAS[root]]
    while stack:
        s = stack.pop(0)
        if s in schemas:
            continue
        schemas.append(s)
        for _, _, _, sp in s.entries:
            if sp.nested:
                stack.append(sp.nested)
            if sp.struct and sp.struct not in structs:
                structs.append(sp.struct)
            if isinstance(sp.by_kind, dict):
                stack += [SCHEMAS[g] for _, g in sorted(sp.by_kind.items())]
    return schemas, structs


def spec_expr(name, sp):
    """The attrSpec composite literal (without its type) of one attribute."""
    if sp.kind == 'nested' and sp.by_kind:
        m = sp.by_kind if isinstance(sp.by_kind, str) else go_ident(name, 'by_type')
        return '{name: %s, kind: kindNested, sibling: %d, byKind: %s%s}' % (
            q(name), H.values[sp.sibling], m, ', numericSibling: true' if sp.numeric else '')
    if sp.kind == 'nested':
        return '{name: %s, kind: kindNested, nested: %s}' % (q(name), sp.nested.go)
    if sp.kind == 'struct':
        return '{name: %s, kind: kindStruct, fields: %s}' % (q(name), sp.struct.go)
    return '{name: %s, kind: %s}' % (q(name), GOKIND[sp.kind])


def q(s):
    return '"%s"' % s


def emit_kinds(out, var, pairs):
    """A []kindSchema in the byte order of its keys, for kindSchemas.find."""
    out.append('var %s = []kindSchema{' % var)
    for k, g in sorted(pairs, key=lambda kv: kv[0].encode()):
        out.append('\t{%s, %s},' % (q(k), g))
    out.append('}')
    out.append('')


def emit_schema(out, s, owners):
    # Plain composite literals of pointers, slices and strings: the
    # compiler lays them out as static data, so nothing runs at package
    # init and a program that never names attributes links none of it.
    names = {}
    for value, cname, name, sp in s.entries:
        if name in names or value in names.values():
            sys.exit('schema %s: duplicate attribute %s (%d)' % (s.go, name, value))
        names[name] = value
    out.append('var %s = &schema{' % s.go)
    out.append('\tname: %s,' % q(s.name))
    out.append('\tattrs: []attrSpec{')
    for value, cname, name, sp in s.entries:
        comment = '  // ' + cname if cname else ''
        if sp.note and cname in TYPE_FIXES:
            comment += ': ' + sp.note
        out.append('\t\t%d: %s,%s' % (value, spec_expr(name, sp), comment))
    out.append('\t},')
    order = [str(names[n]) for n in sorted(names, key=lambda n: n.encode())]
    out.append('\tbyName: []uint16{')
    for i in range(0, len(order), 16):
        out.append('\t\t' + ', '.join(order[i:i + 16]) + ',')
    out.append('\t},')
    out.append('}')
    out.append('')
    for value, cname, name, sp in s.entries:
        if isinstance(sp.by_kind, dict) and sp.numeric:
            m = go_ident(name, 'by_type')
            if m in owners:
                continue
            owners.add(m)
            out.append('// %s picks the schema of %s by %s (LWTUNNEL_ENCAP_*).' % (m, cname, sp.sibling))
            emit_kinds(out, m, sp.by_kind.items())


def emit_struct(out, st):
    out.append('var %s = []attrSpec{' % st.go)
    for name, kind, off in st.fields:
        out.append('\t{name: %s, kind: %s, off: %d},' % (q(name), GOKIND[kind], off))
    out.append('}')
    out.append('')


HEADER = '''// Code generated by scripts/gen_schema.py; DO NOT EDIT.

// Names and types from the nla maps of pyroute2 (python3-pyroute2 %s),
// values and struct layouts from the Linux uapi headers (linux-libc-dev
// %s).

package rtm
'''


def package_version(pkg):
    try:
        out = subprocess.run(['dpkg-query', '-W', '-f=${Version}', pkg],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        out = ''
    return out or 'unknown'


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'rtm')
    stale = sorted(k for k in KERNEL_TYPES if k not in H.values)
    if stale:
        sys.exit('KERNEL_TYPES names constants the headers lack: ' + ' '.join(stale))
    data, slave = build()
    if MISSING:
        sys.exit('header attributes without a type in KERNEL_TYPES: ' + ' '.join(sorted(set(MISSING))))
    pyroute2_version, libc = package_version('python3-pyroute2'), package_version('linux-libc-dev')
    done_schemas, done_structs, owners = set(), set(), set()
    written = []
    for fname, roots in FILES.items():
        out = [HEADER % (pyroute2_version, libc)]
        if fname == 'link':
            roots = roots + tuple(s.go for _, s in sorted(data.items()) + sorted(slave.items()))
            out.append('// linkDataSchemas and linkSlaveDataSchemas pick the schema of')
            out.append('// IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA by link kind.')
            emit_kinds(out, 'linkDataSchemas', [(k, s.go) for k, s in data.items()])
            emit_kinds(out, 'linkSlaveDataSchemas', [(k, s.go) for k, s in slave.items()])
        for root in roots:
            schemas, structs = reachable(root)
            for s in schemas:
                if s.go not in done_schemas:
                    done_schemas.add(s.go)
                    emit_schema(out, s, owners)
            for st in structs:
                if st.go not in done_structs:
                    done_structs.add(st.go)
                    emit_struct(out, st)
        path = os.path.join(outdir, 'zschema_%s.go' % fname)
        with open(path, 'w') as fh:
            fh.write('\n'.join(out))
        written.append(path)
    missing = set(SCHEMAS) - done_schemas
    if missing:
        sys.exit('schemas not written: %s' % sorted(missing))
    subprocess.run(['gofmt', '-w'] + written, check=True)
    for n in sorted(set(NOTES)):
        print('note:', n, file=sys.stderr)


if __name__ == '__main__':
    main()
