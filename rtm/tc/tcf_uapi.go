package tc

// Attribute types and flags of the classifiers and actions, transcribed
// from the Linux 6.12 uapi headers named above each block (x/sys/unix
// does not define them). Unexported: the public API speaks in typed
// fields, and the by-name schemas in names.

// From pkt_cls.h.
const (
	_ = iota
	tcaActKind
	tcaActOptions
	tcaActIndex
	tcaActStats
	tcaActPad
	tcaActCookie
	tcaActFlags
	tcaActHwStats
	tcaActUsedHwStats
	tcaActInHwCount
)

// From pkt_cls.h.
const (
	_ = iota
	tcaPoliceTbf
	tcaPoliceRate
	tcaPolicePeakrate
	tcaPoliceAvrate
	tcaPoliceResult
	tcaPoliceTm
	tcaPolicePad
	tcaPoliceRate64
	tcaPolicePeakrate64
	tcaPolicePktrate64
	tcaPolicePktburst64
)

// From pkt_cls.h.
const (
	_ = iota
	tcaU32Classid
	tcaU32Hash
	tcaU32Link
	tcaU32Divisor
	tcaU32Sel
	tcaU32Police
	tcaU32Act
	tcaU32Indev
	tcaU32Pcnt
	tcaU32Mark
	tcaU32Flags
	tcaU32Pad
)

// From pkt_cls.h.
const (
	_ = iota
	tcaRoute4Classid
	tcaRoute4To
	tcaRoute4From
	tcaRoute4Iif
	tcaRoute4Police
	tcaRoute4Act
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFwClassid
	tcaFwPolice
	tcaFwIndev
	tcaFwAct
	tcaFwMask
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowKeys
	tcaFlowMode
	tcaFlowBaseclass
	tcaFlowRshift
	tcaFlowAddend
	tcaFlowMask
	tcaFlowXor
	tcaFlowDivisor
	tcaFlowAct
	tcaFlowPolice
	tcaFlowEmatches
	tcaFlowPerturb
)

// From pkt_cls.h.
const (
	_ = iota
	tcaBasicClassid
	tcaBasicEmatches
	tcaBasicAct
	tcaBasicPolice
	tcaBasicPcnt
	tcaBasicPad
)

// From pkt_cls.h.
const (
	_ = iota
	tcaCgroupAct
	tcaCgroupPolice
	tcaCgroupEmatches
)

// From pkt_cls.h.
const (
	_ = iota
	tcaBpfAct
	tcaBpfPolice
	tcaBpfClassid
	tcaBpfOpsLen
	tcaBpfOps
	tcaBpfFd
	tcaBpfName
	tcaBpfFlags
	tcaBpfFlagsGen
	tcaBpfTag
	tcaBpfId
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerClassid
	tcaFlowerIndev
	tcaFlowerAct
	tcaFlowerKeyEthDst
	tcaFlowerKeyEthDstMask
	tcaFlowerKeyEthSrc
	tcaFlowerKeyEthSrcMask
	tcaFlowerKeyEthType
	tcaFlowerKeyIpProto
	tcaFlowerKeyIpv4Src
	tcaFlowerKeyIpv4SrcMask
	tcaFlowerKeyIpv4Dst
	tcaFlowerKeyIpv4DstMask
	tcaFlowerKeyIpv6Src
	tcaFlowerKeyIpv6SrcMask
	tcaFlowerKeyIpv6Dst
	tcaFlowerKeyIpv6DstMask
	tcaFlowerKeyTcpSrc
	tcaFlowerKeyTcpDst
	tcaFlowerKeyUdpSrc
	tcaFlowerKeyUdpDst
	tcaFlowerFlags
	tcaFlowerKeyVlanId
	tcaFlowerKeyVlanPrio
	tcaFlowerKeyVlanEthType
	tcaFlowerKeyEncKeyId
	tcaFlowerKeyEncIpv4Src
	tcaFlowerKeyEncIpv4SrcMask
	tcaFlowerKeyEncIpv4Dst
	tcaFlowerKeyEncIpv4DstMask
	tcaFlowerKeyEncIpv6Src
	tcaFlowerKeyEncIpv6SrcMask
	tcaFlowerKeyEncIpv6Dst
	tcaFlowerKeyEncIpv6DstMask
	tcaFlowerKeyTcpSrcMask
	tcaFlowerKeyTcpDstMask
	tcaFlowerKeyUdpSrcMask
	tcaFlowerKeyUdpDstMask
	tcaFlowerKeySctpSrcMask
	tcaFlowerKeySctpDstMask
	tcaFlowerKeySctpSrc
	tcaFlowerKeySctpDst
	tcaFlowerKeyEncUdpSrcPort
	tcaFlowerKeyEncUdpSrcPortMask
	tcaFlowerKeyEncUdpDstPort
	tcaFlowerKeyEncUdpDstPortMask
	tcaFlowerKeyFlags
	tcaFlowerKeyFlagsMask
	tcaFlowerKeyIcmpv4Code
	tcaFlowerKeyIcmpv4CodeMask
	tcaFlowerKeyIcmpv4Type
	tcaFlowerKeyIcmpv4TypeMask
	tcaFlowerKeyIcmpv6Code
	tcaFlowerKeyIcmpv6CodeMask
	tcaFlowerKeyIcmpv6Type
	tcaFlowerKeyIcmpv6TypeMask
	tcaFlowerKeyArpSip
	tcaFlowerKeyArpSipMask
	tcaFlowerKeyArpTip
	tcaFlowerKeyArpTipMask
	tcaFlowerKeyArpOp
	tcaFlowerKeyArpOpMask
	tcaFlowerKeyArpSha
	tcaFlowerKeyArpShaMask
	tcaFlowerKeyArpTha
	tcaFlowerKeyArpThaMask
	tcaFlowerKeyMplsTtl
	tcaFlowerKeyMplsBos
	tcaFlowerKeyMplsTc
	tcaFlowerKeyMplsLabel
	tcaFlowerKeyTcpFlags
	tcaFlowerKeyTcpFlagsMask
	tcaFlowerKeyIpTos
	tcaFlowerKeyIpTosMask
	tcaFlowerKeyIpTtl
	tcaFlowerKeyIpTtlMask
	tcaFlowerKeyCvlanId
	tcaFlowerKeyCvlanPrio
	tcaFlowerKeyCvlanEthType
	tcaFlowerKeyEncIpTos
	tcaFlowerKeyEncIpTosMask
	tcaFlowerKeyEncIpTtl
	tcaFlowerKeyEncIpTtlMask
	tcaFlowerKeyEncOpts
	tcaFlowerKeyEncOptsMask
	tcaFlowerInHwCount
	tcaFlowerKeyPortSrcMin
	tcaFlowerKeyPortSrcMax
	tcaFlowerKeyPortDstMin
	tcaFlowerKeyPortDstMax
	tcaFlowerKeyCtState
	tcaFlowerKeyCtStateMask
	tcaFlowerKeyCtZone
	tcaFlowerKeyCtZoneMask
	tcaFlowerKeyCtMark
	tcaFlowerKeyCtMarkMask
	tcaFlowerKeyCtLabels
	tcaFlowerKeyCtLabelsMask
	tcaFlowerKeyMplsOpts
	tcaFlowerKeyHash
	tcaFlowerKeyHashMask
	tcaFlowerKeyNumOfVlans
	tcaFlowerKeyPppoeSid
	tcaFlowerKeyPppProto
	tcaFlowerKeyL2tpv3Sid
	tcaFlowerL2Miss
	tcaFlowerKeyCfm
	tcaFlowerKeySpi
	tcaFlowerKeySpiMask
	tcaFlowerKeyEncFlags
	tcaFlowerKeyEncFlagsMask
)

// TCA_FLOWER_KEY_CT_FLAGS_* (pkt_cls.h) are the exported FlowerCT*
// (filter_flower.go).

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptsGeneve
	tcaFlowerKeyEncOptsVxlan
	tcaFlowerKeyEncOptsErspan
	tcaFlowerKeyEncOptsGtp
	tcaFlowerKeyEncOptsPfcp
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptGeneveClass
	tcaFlowerKeyEncOptGeneveType
	tcaFlowerKeyEncOptGeneveData
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptVxlanGbp
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptErspanVer
	tcaFlowerKeyEncOptErspanIndex
	tcaFlowerKeyEncOptErspanDir
	tcaFlowerKeyEncOptErspanHwid
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptGtpPduType
	tcaFlowerKeyEncOptGtpQfi
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyEncOptPfcpType
	tcaFlowerKeyEncOptPfcpSeid
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyMplsOptsLse
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyMplsOptLseDepth
	tcaFlowerKeyMplsOptLseTtl
	tcaFlowerKeyMplsOptLseBos
	tcaFlowerKeyMplsOptLseTc
	tcaFlowerKeyMplsOptLseLabel
)

// From pkt_cls.h.
const (
	tcaFlowerKeyFlagsIsFragment         = (1 << 0)
	tcaFlowerKeyFlagsFragIsFirst        = (1 << 1)
	tcaFlowerKeyFlagsTunnelCsum         = (1 << 2)
	tcaFlowerKeyFlagsTunnelDontFragment = (1 << 3)
	tcaFlowerKeyFlagsTunnelOam          = (1 << 4)
	tcaFlowerKeyFlagsTunnelCritOpt      = (1 << 5)
)

// From pkt_cls.h.
const (
	_ = iota
	tcaFlowerKeyCfmMdLevel
	tcaFlowerKeyCfmOpcode
)

// From pkt_cls.h.
const (
	_ = iota
	tcaMatchallClassid
	tcaMatchallAct
	tcaMatchallFlags
	tcaMatchallPcnt
	tcaMatchallPad
)

// From pkt_cls.h.
const (
	_ = iota
	tcaEmatchTreeHdr
	tcaEmatchTreeList
)

// From tc_act/tc_bpf.h.
const (
	_ = iota
	tcaActBpfTm
	tcaActBpfParms
	tcaActBpfOpsLen
	tcaActBpfOps
	tcaActBpfFd
	tcaActBpfName
	tcaActBpfPad
	tcaActBpfTag
	tcaActBpfId
)

// From tc_act/tc_connmark.h.
const (
	_ = iota
	tcaConnmarkParms
	tcaConnmarkTm
	tcaConnmarkPad
)

// From tc_act/tc_csum.h.
const (
	_ = iota
	tcaCsumParms
	tcaCsumTm
	tcaCsumPad
)

// TCA_CSUM_UPDATE_FLAG_* (tc_act/tc_csum.h) are the exported Csum*
// (act_kinds.go).

// From tc_act/tc_ct.h.
const (
	_ = iota
	tcaCtParms
	tcaCtTm
	tcaCtAction
	tcaCtZone
	tcaCtMark
	tcaCtMarkMask
	tcaCtLabels
	tcaCtLabelsMask
	tcaCtNatIpv4Min
	tcaCtNatIpv4Max
	tcaCtNatIpv6Min
	tcaCtNatIpv6Max
	tcaCtNatPortMin
	tcaCtNatPortMax
	tcaCtPad
	tcaCtHelperName
	tcaCtHelperFamily
	tcaCtHelperProto
)

// From tc_act/tc_gact.h.
const (
	_ = iota
	tcaGactTm
	tcaGactParms
	tcaGactProb
	tcaGactPad
)

// From tc_act/tc_mirred.h.
const (
	_ = iota
	tcaMirredTm
	tcaMirredParms
	tcaMirredPad
	tcaMirredBlockid
)

// From tc_act/tc_mpls.h.
const (
	_ = iota
	tcaMplsTm
	tcaMplsParms
	tcaMplsPad
	tcaMplsProto
	tcaMplsLabel
	tcaMplsTc
	tcaMplsTtl
	tcaMplsBos
)

// From tc_act/tc_nat.h.
const (
	_ = iota
	tcaNatParms
	tcaNatTm
	tcaNatPad
)

// From tc_act/tc_pedit.h.
const (
	_ = iota
	tcaPeditTm
	tcaPeditParms
	tcaPeditPad
	tcaPeditParmsEx
	tcaPeditKeysEx
	tcaPeditKeyEx
)

// From tc_act/tc_pedit.h.
const (
	tcaPeditKeyExHtype = 1
	tcaPeditKeyExCmd   = 2
)

// From tc_act/tc_pedit.h.
const (
	tcaPeditKeyExHdrTypeNetwork = 0
	tcaPeditKeyExHdrTypeEth     = 1
	tcaPeditKeyExHdrTypeIp4     = 2
	tcaPeditKeyExHdrTypeIp6     = 3
	tcaPeditKeyExHdrTypeTcp     = 4
	tcaPeditKeyExHdrTypeUdp     = 5
)

// From tc_act/tc_pedit.h.
const (
	tcaPeditKeyExCmdSet = 0
	tcaPeditKeyExCmdAdd = 1
)

// From tc_act/tc_sample.h.
const (
	_ = iota
	tcaSampleTm
	tcaSampleParms
	tcaSampleRate
	tcaSampleTruncSize
	tcaSamplePsampleGroup
	tcaSamplePad
)

// From tc_act/tc_skbedit.h.
const (
	_ = iota
	tcaSkbeditTm
	tcaSkbeditParms
	tcaSkbeditPriority
	tcaSkbeditQueueMapping
	tcaSkbeditMark
	tcaSkbeditPad
	tcaSkbeditPtype
	tcaSkbeditMask
	tcaSkbeditFlags
	tcaSkbeditQueueMappingMax
)

// From tc_act/tc_tunnel_key.h.
const (
	_ = iota
	tcaTunnelKeyTm
	tcaTunnelKeyParms
	tcaTunnelKeyEncIpv4Src
	tcaTunnelKeyEncIpv4Dst
	tcaTunnelKeyEncIpv6Src
	tcaTunnelKeyEncIpv6Dst
	tcaTunnelKeyEncKeyId
	tcaTunnelKeyPad
	tcaTunnelKeyEncDstPort
	tcaTunnelKeyNoCsum
	tcaTunnelKeyEncOpts
	tcaTunnelKeyEncTos
	tcaTunnelKeyEncTtl
	tcaTunnelKeyNoFrag
)

// From tc_act/tc_tunnel_key.h.
const (
	_ = iota
	tcaTunnelKeyEncOptsGeneve
	tcaTunnelKeyEncOptsVxlan
	tcaTunnelKeyEncOptsErspan
)

// From tc_act/tc_tunnel_key.h.
const (
	_ = iota
	tcaTunnelKeyEncOptGeneveClass
	tcaTunnelKeyEncOptGeneveType
	tcaTunnelKeyEncOptGeneveData
)

// From tc_act/tc_tunnel_key.h.
const (
	_ = iota
	tcaTunnelKeyEncOptVxlanGbp
)

// From tc_act/tc_tunnel_key.h.
const (
	_ = iota
	tcaTunnelKeyEncOptErspanVer
	tcaTunnelKeyEncOptErspanIndex
	tcaTunnelKeyEncOptErspanDir
	tcaTunnelKeyEncOptErspanHwid
)

// From tc_act/tc_vlan.h.
const (
	_ = iota
	tcaVlanTm
	tcaVlanParms
	tcaVlanPushVlanId
	tcaVlanPushVlanProtocol
	tcaVlanPad
	tcaVlanPushVlanPriority
	tcaVlanPushEthDst
	tcaVlanPushEthSrc
)

// From tc_act/tc_defact.h.
const (
	_ = iota
	tcaDefTm
	tcaDefParms
	tcaDefData
	tcaDefPad
)
