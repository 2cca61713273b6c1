package tc

import (
	"errors"

	"github.com/ipr-go/ipr/nla"
)

// Police is a policer: a token bucket on bytes or packets, with verdicts
// for the traffic that conforms and the traffic that exceeds.
type Police struct {
	index uint32
	opts  []byte
}

// ActionKind returns "police".
func (*Police) ActionKind() string { return "police" }

func (p *Police) appendOptions(e *nla.Encoder, a *Action) error {
	return errors.New("police: not yet")
}

func (p *Police) decode(opts nla.Chain) error {
	p.opts = append([]byte(nil), opts...)
	return nil
}
