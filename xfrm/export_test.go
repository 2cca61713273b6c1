package xfrm

import "github.com/ipr-go/ipr/wire"

// StateAddRequest returns the request StateAdd sends for s, unchecked.
func StateAddRequest(s *State) ([]byte, error) {
	var b wire.Builder
	s.build(&b, msgNewSA, 0)
	return b.Bytes(), b.Err()
}

// PolicyAddRequest returns the request PolicyAdd sends for p, unchecked.
func PolicyAddRequest(p *Policy) ([]byte, error) {
	var b wire.Builder
	p.build(&b, msgNewPolicy, 0)
	return b.Bytes(), b.Err()
}
