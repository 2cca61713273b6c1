#!/usr/bin/env bash
#
# fou_l2tp_golden.sh records what iproute2's `ip fou` and `ip l2tp` send
# and print, for the tests of genl/fou, genl/l2tp and cmd/ipr:
#
#   genl/<family>/testdata/iproute2.txt   '# ARGS', then each request ip
#                                         sent to the family, in hex
#   genl/<family>/testdata/NAME.replies   dump replies (written by the
#                                         package's TestShowReplies)
#   genl/<family>/testdata/NAME*.golden   what ip prints of them: text,
#                                         -j (NAME-json), -o (NAME-oneline)
#   genl/<family>/testdata/errors.golden  '# ARGS', 'exit N', then what ip
#                                         prints ('> ' stdout, '! ' stderr)
#                                         for command lines it refuses, and
#                                         for listings of nothing
#
# Usage: scripts/fou_l2tp_golden.sh    (as root: it uses a throwaway netns)
#
# Kernels without the families (CONFIG_NET_FOU, CONFIG_L2TP off) make ip
# stop before it sends anything, so ip runs under the LD_PRELOAD shim
# scripts/fakegenl/fakegenl.c (built here with gcc), which resolves the
# family, acknowledges every request and answers dumps with the replies
# of $FAKEGENL_REPLIES.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib/fakegenl.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/fakegenl.sh"

fakegenl_netns ipr-foul2tp-golden
ip -n "$ns" link set lo up

record fou <<'COMMANDS'
fou add port 5555 ipproto 4
fou add port 5556 gue
fou add port 0x15b5 ipproto gre local 10.0.0.1 peer 10.0.0.2 peer_port 6000 dev lo
fou add port 5558 gue -6 local fd00::1 peer fd00::2 peer_port 7000
-6 fou add port 5559 ipproto ipv6
fou a p 5560 ipp ipencap lo 192.0.2.1 pe 192.0.2.2 peer_p 1 d lo
fou add port 5561 ipproto 255
fou del port 5555
fou del port 5556 gue
fou delete port 5558 -6 local fd00::1 peer fd00::2 peer_port 7000 dev lo
fou del port 5557 ipproto 47
fou show
COMMANDS

(cd "$REPO_ROOT" && IPR_WRITE_REPLIES=1 go test -count=1 -run TestShowReplies ./genl/fou ./genl/l2tp >/dev/null)
golden fou show fou show

errors fou <<'COMMANDS'
fou show
-j fou show
fou
fou help
fou h
fou bogus
fou add port
fou add port 0
fou add port 70000
fou add port x
fou add port -1
fou add port 1 ipproto
fou add port 1 ipproto 0
fou add port 1 ipproto 256
fou add port 1 ipproto nonesuch
fou add port 1 foo
fou add port 1 gue peer_port 0
fou add port 1 gue dev nonesuch0
fou add port 1 gue dev a/b
fou add port 1 gue local fd00::1
fou add port 1 gue -6 local 10.0.0.1
fou add port 1 gue local bogus
fou add port 1 gue peer 10.1.1.1 peer_port 2 local ::1
fou del port 1 peer
fou show extra
COMMANDS

record l2tp <<'COMMANDS'
l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap udp local 10.0.0.1 remote 10.0.0.2 udp_sport 5000 udp_dport 6000
l2tp add tunnel tid 3 ptid 4 encap ip local 10.0.0.1 remote 10.0.0.2
l2tp add tunnel tunnel_id 5 peer_tunnel_id 6 local fd00::1 remote fd00::2 udp_sport 1 udp_dport 2 udp6_csum_tx off udp6_csum_rx off
l2tp add tunnel tunnel_id 7 peer_tunnel_id 8 local 0.0.0.0 remote 192.0.2.1 udp_sport 1701 udp_dport 0x6a5 udp_csum on
l2tp add tunnel tunnel_id 4294967295 peer_tunnel_id 1 local ::1 remote ::2 udp_sport 1 udp_dport 65535 udp6_csum_rx off udp_csum off
l2tp add session tunnel_id 1 session_id 10 peer_session_id 20
l2tp add session name l2tpeth9 tid 1 sid 11 psid 21 cookie 01234567 peer_cookie 0011223344556677 seq both l2spec_type none
l2tp add session tunnel_id 1 session_id 12 peer_session_id 22 seq recv l2spec_type DEFAULT offset 8 peer_offset 9
l2tp add session tunnel_id 1 session_id 13 peer_session_id 23 seq send ptid 7 cookie ABCDEF0123456789
l2tp add session tunnel_id 1 session_id 14 peer_session_id 24 seq both seq none
l2tp add session tunnel_id 1 session_id 15 peer_session_id 25 seq recv seq SEND
l2tp add tunnel session tunnel_id 9 peer_tunnel_id 9 session_id 1 peer_session_id 1 encap ip local 10.0.0.1 remote 10.0.0.2
l2tp del tunnel tunnel_id 1
l2tp del session tunnel_id 1 session_id 10
l2tp delete tunnel session tid 1 sid 5
l2tp d session sid 5
l2tp show tunnel
l2tp show tunnel tunnel_id 5
l2tp show session
l2tp show session tunnel_id 1 session_id 10
l2tp list session tid 1
l2tp lst tunnel session
COMMANDS

golden l2tp tunnels l2tp show tunnel
golden l2tp sessions l2tp show session

errors l2tp <<'COMMANDS'
l2tp show tunnel
-j l2tp show session
-j -p l2tp show tunnel
l2tp
l2tp help
l2tp bogus
l2tp add
l2tp add foo
l2tp add tunnel
l2tp add session tunnel_id 1
l2tp add session tunnel_id 1 session_id 2
l2tp add session tunnel_id 1 peer_session_id 2
l2tp add tunnel tunnel_id 1
l2tp add tunnel tunnel_id 1 peer_tunnel_id 2
l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.1
l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.1 remote 10.0.0.2
l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.1 remote 10.0.0.2 udp_sport 1
l2tp add tunnel tunnel_id x
l2tp add tunnel tunnel_id
l2tp add tunnel tunnel_id -1
l2tp add tunnel udp_sport 65536
l2tp add tunnel encap gre
l2tp add tunnel local bogus
l2tp add tunnel tunnel_id 7 peer_tunnel_id 8 local any remote 192.0.2.1 udp_sport 1 udp_dport 1
l2tp add tunnel tunnel_id 7 peer_tunnel_id 8 local 10.0.0.1 remote default udp_sport 1 udp_dport 1
l2tp add tunnel remote 10.0.0.300
l2tp add tunnel udp_csum maybe
l2tp add tunnel udp6_csum_rx 1
l2tp add tunnel udp6_csum_tx 0
l2tp add session cookie 0123
l2tp add session peer_cookie 0123456789
l2tp add session cookie 0123456g
l2tp add session name a/b
l2tp add session l2spec_type foo
l2tp add session seq sometimes
l2tp add session offset
l2tp add session he
l2tp add tunnel TUNNEL
l2tp del
l2tp del tunnel
l2tp del session tunnel_id 1
l2tp show
l2tp show foo
COMMANDS
