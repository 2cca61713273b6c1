package xfrm

// The constants and layouts of linux/xfrm.h, which golang.org/x/sys/unix
// lacks (it has unix.NETLINK_XFRM only). Offsets are those of the kernel's
// structs; sizes that depend on the alignment of __u64 are in
// sizes_*.go.

// XFRM_MSG_* (linux/xfrm.h): message types.
const (
	msgNewSA              = 0x10 // XFRM_MSG_NEWSA
	msgDelSA              = 0x11 // XFRM_MSG_DELSA
	msgGetSA              = 0x12 // XFRM_MSG_GETSA
	msgNewPolicy          = 0x13 // XFRM_MSG_NEWPOLICY
	msgDelPolicy          = 0x14 // XFRM_MSG_DELPOLICY
	msgGetPolicy          = 0x15 // XFRM_MSG_GETPOLICY
	msgAllocSPI           = 0x16 // XFRM_MSG_ALLOCSPI
	msgAcquire            = 0x17 // XFRM_MSG_ACQUIRE
	msgExpire             = 0x18 // XFRM_MSG_EXPIRE
	msgUpdPolicy          = 0x19 // XFRM_MSG_UPDPOLICY
	msgUpdSA              = 0x1a // XFRM_MSG_UPDSA
	msgPolExpire          = 0x1b // XFRM_MSG_POLEXPIRE
	msgFlushSA            = 0x1c // XFRM_MSG_FLUSHSA
	msgFlushPolicy        = 0x1d // XFRM_MSG_FLUSHPOLICY
	msgNewAE              = 0x1e // XFRM_MSG_NEWAE
	msgGetAE              = 0x1f // XFRM_MSG_GETAE
	msgReport             = 0x20 // XFRM_MSG_REPORT
	msgMigrate            = 0x21 // XFRM_MSG_MIGRATE
	msgNewSADInfo         = 0x22 // XFRM_MSG_NEWSADINFO
	msgGetSADInfo         = 0x23 // XFRM_MSG_GETSADINFO
	msgNewSPDInfo         = 0x24 // XFRM_MSG_NEWSPDINFO
	msgGetSPDInfo         = 0x25 // XFRM_MSG_GETSPDINFO
	msgMapping            = 0x26 // XFRM_MSG_MAPPING
	msgSetDefault         = 0x27 // XFRM_MSG_SETDEFAULT
	msgGetDefault         = 0x28 // XFRM_MSG_GETDEFAULT
	msgMax                = msgGetDefault
	msgBase               = msgNewSA
	xfrmInf        uint64 = ^uint64(0) // XFRM_INF
)

// XFRMA_* (enum xfrm_attr_type_t, linux/xfrm.h): attribute types.
const (
	attrAlgAuth      = 1  // XFRMA_ALG_AUTH: struct xfrm_algo
	attrAlgCrypt     = 2  // XFRMA_ALG_CRYPT: struct xfrm_algo
	attrAlgComp      = 3  // XFRMA_ALG_COMP: struct xfrm_algo
	attrEncap        = 4  // XFRMA_ENCAP: struct xfrm_encap_tmpl
	attrTmpl         = 5  // XFRMA_TMPL: struct xfrm_user_tmpl[]
	attrSA           = 6  // XFRMA_SA
	attrPolicy       = 7  // XFRMA_POLICY
	attrSecCtx       = 8  // XFRMA_SEC_CTX: struct xfrm_user_sec_ctx + string
	attrLtimeVal     = 9  // XFRMA_LTIME_VAL
	attrReplayVal    = 10 // XFRMA_REPLAY_VAL: struct xfrm_replay_state
	attrReplayThresh = 11 // XFRMA_REPLAY_THRESH
	attrEtimerThresh = 12 // XFRMA_ETIMER_THRESH
	attrSrcAddr      = 13 // XFRMA_SRCADDR: xfrm_address_t
	attrCoAddr       = 14 // XFRMA_COADDR: xfrm_address_t
	attrLastUsed     = 15 // XFRMA_LASTUSED: __u64
	attrPolicyType   = 16 // XFRMA_POLICY_TYPE: struct xfrm_userpolicy_type
	attrMigrate      = 17 // XFRMA_MIGRATE
	attrAlgAEAD      = 18 // XFRMA_ALG_AEAD: struct xfrm_algo_aead
	attrKmAddress    = 19 // XFRMA_KMADDRESS
	attrAlgAuthTrunc = 20 // XFRMA_ALG_AUTH_TRUNC: struct xfrm_algo_auth
	attrMark         = 21 // XFRMA_MARK: struct xfrm_mark
	attrTFCPad       = 22 // XFRMA_TFCPAD: __u32
	attrReplayESNVal = 23 // XFRMA_REPLAY_ESN_VAL: struct xfrm_replay_state_esn
	attrSAExtraFlags = 24 // XFRMA_SA_EXTRA_FLAGS: __u32
	attrProto        = 25 // XFRMA_PROTO: __u8
	attrAddrFilter   = 26 // XFRMA_ADDRESS_FILTER: struct xfrm_address_filter
	attrPad          = 27 // XFRMA_PAD
	attrOffloadDev   = 28 // XFRMA_OFFLOAD_DEV: struct xfrm_user_offload
	attrSetMark      = 29 // XFRMA_SET_MARK (XFRMA_OUTPUT_MARK): __u32
	attrSetMarkMask  = 30 // XFRMA_SET_MARK_MASK: __u32
	attrIfID         = 31 // XFRMA_IF_ID: __u32
	attrMtimerThresh = 32 // XFRMA_MTIMER_THRESH: __u32
)

// XFRMA_SAD_* and XFRMA_SPD_* (linux/xfrm.h): the attributes of the
// XFRM_MSG_NEWSADINFO and XFRM_MSG_NEWSPDINFO replies.
const (
	sadCnt         = 1 // XFRMA_SAD_CNT: __u32
	sadHInfo       = 2 // XFRMA_SAD_HINFO: struct xfrmu_sadhinfo
	spdInfo        = 1 // XFRMA_SPD_INFO: struct xfrmu_spdinfo
	spdHInfo       = 2 // XFRMA_SPD_HINFO: struct xfrmu_spdhinfo
	spdIPv4HThresh = 3 // XFRMA_SPD_IPV4_HTHRESH: struct xfrmu_spdhthresh
	spdIPv6HThresh = 4 // XFRMA_SPD_IPV6_HTHRESH: struct xfrmu_spdhthresh
)

// XFRMNLGRP_* (enum xfrm_nlgroups, linux/xfrm.h): multicast groups.
const (
	GroupAcquire = 1 // XFRMNLGRP_ACQUIRE
	GroupExpire  = 2 // XFRMNLGRP_EXPIRE
	GroupSA      = 3 // XFRMNLGRP_SA
	GroupPolicy  = 4 // XFRMNLGRP_POLICY
	GroupAEvents = 5 // XFRMNLGRP_AEVENTS
	GroupReport  = 6 // XFRMNLGRP_REPORT
	GroupMigrate = 7 // XFRMNLGRP_MIGRATE
	GroupMapping = 8 // XFRMNLGRP_MAPPING
)

// Layouts (linux/xfrm.h). xfrm_address_t is 16 bytes, 4-aligned; an IPv4
// address is in its first 4 bytes.
const (
	sizeofAddr = 16

	// struct xfrm_selector
	selDaddr      = 0
	selSaddr      = 16
	selDport      = 32 // __be16
	selDportMask  = 34
	selSport      = 36
	selSportMask  = 38
	selFamily     = 40 // __u16
	selPrefixlenD = 42
	selPrefixlenS = 43
	selProto      = 44
	selIfindex    = 48 // int
	selUser       = 52
	sizeofSel     = 56

	// struct xfrm_id
	idDaddr    = 0
	idSPI      = 16 // __be32
	idProto    = 20
	sizeofID   = 24
	sizeofLft  = 64 // struct xfrm_lifetime_cfg: 8 __u64
	sizeofCur  = 32 // struct xfrm_lifetime_cur: 4 __u64
	sizeofStat = 12 // struct xfrm_stats: 3 __u32

	// struct xfrm_usersa_info (its size is sizeofUsersaInfo)
	saSel          = 0
	saID           = 56
	saSaddr        = 80
	saLft          = 96
	saCurlft       = 160
	saStats        = 192
	saSeq          = 204
	saReqid        = 208
	saFamily       = 212 // __u16
	saMode         = 214
	saReplayWindow = 215
	saFlags        = 216

	// struct xfrm_usersa_id
	saidDaddr      = 0
	saidSPI        = 16
	saidFamily     = 20
	saidProto      = 22
	sizeofUsersaID = 24

	// struct xfrm_userpolicy_info (its size is sizeofUserpolicyInfo)
	polSel      = 0
	polLft      = 56
	polCurlft   = 120
	polPriority = 152
	polIndex    = 156
	polDir      = 160
	polAction   = 161
	polFlags    = 162
	polShare    = 163

	// struct xfrm_userpolicy_id
	polidSel           = 0
	polidIndex         = 56
	polidDir           = 60
	sizeofUserpolicyID = 64

	// struct xfrm_user_tmpl
	tmplID       = 0
	tmplFamily   = 24
	tmplSaddr    = 28
	tmplReqid    = 44
	tmplMode     = 48
	tmplShare    = 49
	tmplOptional = 50
	tmplAalgos   = 52
	tmplEalgos   = 56
	tmplCalgos   = 60
	sizeofTmpl   = 64

	// struct xfrm_encap_tmpl
	encapType   = 0
	encapSport  = 2 // __be16
	encapDport  = 4 // __be16
	encapOA     = 8
	sizeofEncap = 24

	sizeofAlgo     = 68 // struct xfrm_algo: name[64], key_len (bits), key
	sizeofAlgoAuth = 72 // struct xfrm_algo_auth: + trunc_len
	sizeofAlgoAEAD = 72 // struct xfrm_algo_aead: + icv_len
	algoNameLen    = 64

	sizeofMark       = 8    // struct xfrm_mark: v, m
	sizeofReplay     = 12   // struct xfrm_replay_state: oseq, seq, bitmap
	sizeofReplayESN  = 24   // struct xfrm_replay_state_esn, without bmp[]
	sizeofOffload    = 8    // struct xfrm_user_offload: int ifindex, __u8 flags
	sizeofPolicyType = 6    // struct xfrm_userpolicy_type
	sizeofUserSecCtx = 8    // struct xfrm_user_sec_ctx
	sizeofAddrFilter = 36   // struct xfrm_address_filter
	sizeofSPDInfo    = 24   // struct xfrmu_spdinfo
	sizeofHInfo      = 8    // struct xfrmu_sadhinfo, xfrmu_spdhinfo
	replayESNMax     = 4096 // XFRMA_REPLAY_ESN_MAX
)
