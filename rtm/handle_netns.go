package rtm

import (
	"fmt"

	"github.com/ipr-go/ipr/netns"
)

// OpenNetns opens the network namespace h works in, as a new handle the
// caller closes: to move a link back where it came from, or to open
// other sockets there. For a Handle dialled without a namespace option,
// that is the calling thread's namespace: the process's own, unless
// Dial or OpenNetns runs inside [netns.Do].
func (h *Handle) OpenNetns() (*netns.Handle, error) {
	if h.pool.NS == nil {
		ns, err := netns.Current()
		if err != nil {
			return nil, fmt.Errorf("rtm: %w", err)
		}
		return ns, nil
	}
	ns, err := netns.OpenPath(fmt.Sprintf("/proc/self/fd/%d", h.pool.NS.Fd()))
	if err != nil {
		return nil, fmt.Errorf("rtm: %w", err)
	}
	return ns, nil
}

// Netns returns the identity of the network namespace h works in
// (pyroute2's handle reporting its netns): compare it with
// [netns.Handle.ID] or print it ("net:[4026532281]"). For a Handle
// dialled without a namespace option, that is the calling thread's
// namespace, as for [Handle.OpenNetns].
func (h *Handle) Netns() (netns.ID, error) {
	if h.pool.NS != nil {
		return h.pool.NS.ID(), nil
	}
	ns, err := h.OpenNetns()
	if err != nil {
		return netns.ID{}, err
	}
	defer ns.Close()
	return ns.ID(), nil
}
