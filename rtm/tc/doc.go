// Package tc is traffic control on an rtm.Handle: qdiscs, classes (and,
// in files of their own, filters and actions), as the tc command
// configures and shows them.
//
// # Views
//
// Qdisc and Class (and Filter) embed Object, the lazy view of a tcmsg and
// its attributes: Ifindex, Handle, Parent, Kind, Stats, XStats, Options,
// ChainIndex, blocks. Dumps (Qdiscs, Classes) stream views that read the
// kernel's messages in place, allocating nothing per object; Clone keeps
// one. The kernel resumes tc dumps by position: an object that comes
// twice is dropped and the dump ends in an error matching
// wire.ErrDumpInterrupted (retry it with wire.Retry), as it does when an
// object was removed while a dump of several datagrams ran.
//
// # Kinds
//
// Each kind's options are a type (*HTB, *TBF, *FIFO, *Netem, ...;
// *HTBClass for classes) implementing Options and QdiscOptions or
// ClassOptions. It validates and encodes the options as tc does, byte
// for byte, and decodes the kernel's back: QdiscOptionsOf(q) returns the
// options of a dumped qdisc as a value of the same type. Kinds this
// package does not know go through RawOptions.
//
// # Requests
//
// QdiscAdd, QdiscReplace, QdiscChange, QdiscLink, QdiscDel, ClassAdd, ...
// return rtm.Request values: send them with rtm.Handle.Do, queue them in
// an rtm.Batch, or in an IPDB transaction. A specification is validated
// before anything is sent (a handle with a minor number, a qdisc hanging
// from its own class, a rate of zero, a burst below the MTU, the options
// of a kind that does not fit); what only the kernel knows comes back as
// its error, with its extended ACK message.
//
// # Units
//
// Rate, Size, Time and Time64 parse and print as tc does ("1mbit",
// "32k", "50ms"), and XmitTime, RateTable and friends compute the
// scheduler ticks and rate tables with tc's own floating-point steps, so
// that a request equals tc's.
//
// # Filters and actions
//
// Filter embeds Object too: Filters dumps the filters of a device or
// shared block (no allocation per filter), FilterGet reads one, FilterOf
// reads events, and Filter.Spec decodes one into the FilterSpec that
// makes it again. The classifiers are *U32 (selectors built with U32Sel's
// Match methods, hash tables, links), *Flower, *Matchall, *BPF (a program
// by descriptor, direct-action, or classic bytecode), *Fw, *Route,
// *Cgroup, *Flow and *Basic; FilterAdd, FilterReplace, FilterChange and
// FilterDel are their requests. Actions are Action values whose Kind is
// *Gact, *Mirred, *Police, *SkbEdit, *Pedit, *VlanAction, *TunnelKey,
// *Csum, *Nat, *BPFAction, *CT, *Connmark, *Sample, *MPLSAction or
// *Simple, in a filter's action list or standalone (ActionAdd,
// ActionReplace, ActionDel, ActionFlush, StandaloneActions,
// StandaloneAction); ActionView reads them in place. Every request equals
// tc's for the same command line, byte for byte (testdata/iproute2,
// recorded by scripts/golden_tc.sh), and decodes back to the same
// settings. The basic and cgroup classifiers match with extended-match
// trees: EncodeEmatches flattens an expression of EmatchTerm (cmp, u32,
// meta, nbyte and canid matches, "and", "or", "not", groups) as tc's
// "match" does, DecodeEmatches rebuilds it. A filter's estimator is
// FilterSpec.Estimator; a qdisc's size table ("stab") QdiscSpec.Stab.
//
// # Chains
//
// ChainAdd and ChainDel create and delete a filter chain, with a
// template (a flower key mask every filter of the chain must follow) or
// without; Chains dumps the chains of a block, ChainGet reads one,
// ChainOf reads their events.
//
// # By name
//
// Object.Get and Values read every attribute by the names of tc.yaml,
// the kinds' options included: ("options", "classid") of a u32 filter,
// ("options", "flower", "key-eth-type") in tc.yaml's spelling, a
// filter's actions by position ("options", "act", "1", "kind");
// ActionView.Get reads an action's.
//
// # Events
//
// Notifications come in rtm.GroupTC; QdiscOf, ClassOf, FilterOf and
// ChainOf read them from an rtm.Event.
package tc
