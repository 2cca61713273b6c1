package xfrm

// The constants and layouts of linux/xfrm.h, which golang.org/x/sys/unix
// lacks (it has unix.NETLINK_XFRM only). Offsets are those of the
// kernel's structs, one struct a line, in its field order; the sizes that
// depend on the alignment of __u64 are in sizes*.go.

// XFRM_MSG_* (enum in linux/xfrm.h): the message types this package
// sends or reads, from XFRM_MSG_NEWSA (0x10) in the enum's order.
const (
	msgNewSA = iota + 0x10
	msgDelSA
	msgGetSA
	msgNewPolicy
	msgDelPolicy
	msgGetPolicy
	msgAllocSPI
	_ // XFRM_MSG_ACQUIRE
	_ // XFRM_MSG_EXPIRE
	msgUpdPolicy
	msgUpdSA
	_ // XFRM_MSG_POLEXPIRE
	msgFlushSA
	msgFlushPolicy
	_ // XFRM_MSG_NEWAE
	_ // XFRM_MSG_GETAE
	_ // XFRM_MSG_REPORT
	_ // XFRM_MSG_MIGRATE
	_ // XFRM_MSG_NEWSADINFO
	msgGetSADInfo
	msgNewSPDInfo
	msgGetSPDInfo
	_ // XFRM_MSG_MAPPING
	msgSetDefault
	msgGetDefault
)

// msgBase is XFRM_MSG_BASE, the first XFRM message type.
const msgBase = msgNewSA

// xfrmInf is XFRM_INF, a lifetime limit that is none.
const xfrmInf uint64 = ^uint64(0)

// XFRMA_* (enum xfrm_attr_type_t, linux/xfrm.h), from XFRMA_ALG_AUTH (1)
// in the enum's order, with the struct each holds.
const (
	attrAlgAuth      = iota + 1 // struct xfrm_algo
	attrAlgCrypt                // struct xfrm_algo
	attrAlgComp                 // struct xfrm_algo
	attrEncap                   // struct xfrm_encap_tmpl
	attrTmpl                    // struct xfrm_user_tmpl[]
	_                           // XFRMA_SA
	_                           // XFRMA_POLICY
	attrSecCtx                  // struct xfrm_user_sec_ctx and the string
	_                           // XFRMA_LTIME_VAL
	attrReplayVal               // struct xfrm_replay_state
	_                           // XFRMA_REPLAY_THRESH
	_                           // XFRMA_ETIMER_THRESH
	attrSrcAddr                 // xfrm_address_t
	attrCoAddr                  // xfrm_address_t
	attrLastUsed                // __u64
	attrPolicyType              // struct xfrm_userpolicy_type
	_                           // XFRMA_MIGRATE
	attrAlgAEAD                 // struct xfrm_algo_aead
	_                           // XFRMA_KMADDRESS
	attrAlgAuthTrunc            // struct xfrm_algo_auth
	attrMark                    // struct xfrm_mark
	attrTFCPad                  // __u32
	attrReplayESNVal            // struct xfrm_replay_state_esn
	attrSAExtraFlags            // __u32
	attrProto                   // __u8
	attrAddrFilter              // struct xfrm_address_filter
	_                           // XFRMA_PAD
	attrOffloadDev              // struct xfrm_user_offload
	attrSetMark                 // __u32 (XFRMA_OUTPUT_MARK)
	attrSetMarkMask             // __u32
	attrIfID                    // __u32
)

// XFRMA_SAD_CNT, XFRMA_SAD_HINFO (struct xfrmu_sadhinfo); XFRMA_SPD_INFO
// (struct xfrmu_spdinfo), XFRMA_SPD_HINFO (struct xfrmu_spdhinfo),
// XFRMA_SPD_IPV4_HTHRESH and _IPV6_HTHRESH (struct xfrmu_spdhthresh):
// the attributes of the XFRM_MSG_NEWSADINFO and NEWSPDINFO replies.
const sadCnt, sadHInfo, spdInfo, spdHInfo, spdIPv4HThresh, spdIPv6HThresh = 1, 2, 1, 2, 3, 4

// XFRMNLGRP_* (enum xfrm_nlgroups, linux/xfrm.h): the multicast groups
// of XFRM notifications, for a monitor: acquires, expires, SA changes,
// policy changes, asynchronous events, reports, migrations and NAT-T
// mappings.
const (
	GroupAcquire = iota + 1
	GroupExpire
	GroupSA
	GroupPolicy
	GroupAEvents
	GroupReport
	GroupMigrate
	GroupMapping
)

// Layouts. xfrm_address_t is 16 bytes, 4-aligned; an IPv4 address is in
// its first 4 bytes. Each line is a struct: its fields' offsets, then its
// size.
const (
	// struct xfrm_selector: daddr, saddr, dport, dport_mask, sport, sport_mask (__be16), family, prefixlen_d, prefixlen_s, proto, ifindex, user.
	selDaddr, selSaddr, selDport, selDportMask, selSport, selSportMask, selFamily, selPrefixlenD, selPrefixlenS, selProto, selIfindex, selUser, sizeofSel = 0, 16, 32, 34, 36, 38, 40, 42, 43, 44, 48, 52, 56
	// struct xfrm_id: daddr, spi (__be32), proto.
	idDaddr, idSPI, idProto, sizeofID = 0, 16, 20, 24
	// struct xfrm_usersa_info: sel, id, saddr, lft, curlft, stats, seq, reqid, family, mode, replay_window, flags.
	saSel, saID, saSaddr, saLft, saCurlft, saStats, saSeq, saReqid, saFamily, saMode, saReplayWindow, saFlags = 0, 56, 80, 96, 160, 192, 204, 208, 212, 214, 215, 216
	// struct xfrm_usersa_id: daddr, spi, family, proto.
	saidDaddr, saidSPI, saidFamily, saidProto, sizeofUsersaID = 0, 16, 20, 22, 24
	// struct xfrm_userpolicy_info: sel, lft, curlft, priority, index, dir, action, flags, share.
	polSel, polLft, polCurlft, polPriority, polIndex, polDir, polAction, polFlags, polShare = 0, 56, 120, 152, 156, 160, 161, 162, 163
	// struct xfrm_userpolicy_id: sel, index, dir.
	polidSel, polidIndex, polidDir, sizeofUserpolicyID = 0, 56, 60, 64
	// struct xfrm_user_tmpl: id, family, saddr, reqid, mode, share, optional, aalgos, ealgos, calgos.
	tmplID, tmplFamily, tmplSaddr, tmplReqid, tmplMode, tmplShare, tmplOptional, tmplAalgos, tmplEalgos, tmplCalgos, sizeofTmpl = 0, 24, 28, 44, 48, 49, 50, 52, 56, 60, 64
	// struct xfrm_encap_tmpl: encap_type, encap_sport, encap_dport (__be16), encap_oa.
	encapType, encapSport, encapDport, encapOA, sizeofEncap = 0, 2, 4, 8, 24
	// struct xfrm_algo (name[64], key_len in bits, key[]); xfrm_algo_auth and xfrm_algo_aead add trunc_len or icv_len before the key.
	algoNameLen, sizeofAlgo, sizeofAlgoAuth, sizeofAlgoAEAD = 64, 68, 72, 72
	// xfrm_address_t, struct xfrm_mark (v, m), xfrm_replay_state (oseq, seq, bitmap), xfrm_replay_state_esn without bmp[], xfrm_user_offload (ifindex, flags).
	sizeofAddr, sizeofMark, sizeofReplay, sizeofReplayESN, sizeofOffload = 16, 8, 12, 24, 8
	// struct xfrm_userpolicy_type, xfrm_user_sec_ctx, xfrm_address_filter, xfrmu_spdinfo, xfrmu_sadhinfo and xfrmu_spdhinfo.
	sizeofPolicyType, sizeofUserSecCtx, sizeofAddrFilter, sizeofSPDInfo, sizeofHInfo = 6, 8, 36, 24, 8
	// struct xfrm_userpolicy_default: in, fwd, out.
	sizeofDefault = 3
	// XFRMA_REPLAY_ESN_MAX: the largest ESN replay window.
	replayESNMax = 4096
)
