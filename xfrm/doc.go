// Package xfrm manages the kernel's IPsec security associations (SAs)
// and security policies (SPs) over NETLINK_XFRM, as "ip xfrm state" and
// "ip xfrm policy" do, and as IKE daemons and VPN agents need them.
//
// A [Handle] holds a small pool of sockets, as rtm.Handle does, opened in
// the caller's network namespace or in one an option names
// ([WithNetns], [WithNetnsPath], [WithNetnsHandle]).
//
// Reading: [Handle.States] and [Handle.Policies] stream dumps as views
// ([StateView], [PolicyView]) that read the kernel's structs in place,
// with no allocation per object; a view is valid for one iteration, and
// [StateView.State] or [PolicyView.Policy] copy one into a value that
// keeps nothing of the receive buffer. [Handle.State] and [Handle.Policy]
// get one object; [Handle.SAInfo] and [Handle.SPDInfo] count them.
//
// Writing: [State] and [Policy] are typed specs, checked before anything
// is sent (a nil or inconsistent spec is an error, never a panic):
// [Handle.StateAdd], [Handle.StateUpdate], [Handle.StateDel],
// [Handle.StateFlush], [Handle.StateAllocSPI], and the policy
// counterparts. Errors name the operation and wrap the kernel's
// unix.Errno (errors.Is(err, unix.ESRCH) for a missing SA).
//
// Struct layouts are those of linux/xfrm.h; x/sys/unix has none of them.
// On 386 the sizes are the i386 kernel's: a 32-bit program on a 64-bit
// kernel needs CONFIG_XFRM_USER_COMPAT there, as with iproute2.
//
// Notifications: [Handle.Monitor] subscribes to XFRM's multicast groups;
// its [Event] gives SA and policy views of new, updated, deleted and
// expired objects, and flushes, and [Event.Acquire] the kernel's
// requests for SAs (acquires). Reports, asynchronous events and NAT-T
// mapping changes come as raw messages (Event.Message).
//
// The default actions for packets no policy matches are read and set
// with [Handle.PolicyDefaults] and [Handle.SetPolicyDefaults]; the SPD's
// hash thresholds with [Handle.SPDInfo] and [Handle.SetSPDHashThresholds].
//
// Limits: no typed views of reports, asynchronous events and mappings
// yet; no XFRM_MSG_MIGRATE, no XFRM_MSG_NEWAE/GETAE requests;
// security contexts and offload are passed through untested (the kernel
// here has no LSM or device for them); no 32-bit program on a 64-bit
// kernel (see above). The kernel checks algorithm names against its
// crypto API: a kernel without an algorithm, or without esp4, ah4 or
// ipcomp, refuses the SA ("Requested ... not found" in its extended
// acknowledgement).
package xfrm
