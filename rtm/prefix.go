package rtm

import (
	"fmt"
	"net/netip"
)

// checkPrefix rejects a prefix that was set but is invalid: netip's
// PrefixFrom with a length beyond the address's (an IPv4 /33) keeps the
// address and drops the length, so without this check the prefix would
// look unset. The length itself is lost by then; the error says the
// range. what names the field ("destination").
func checkPrefix(what string, p netip.Prefix) error {
	if p.IsValid() || !p.Addr().IsValid() {
		return nil
	}
	a := p.Addr()
	if a.Is4() {
		return fmt.Errorf("%s %v: prefix length out of range for IPv4 (0-32)", what, a)
	}
	return fmt.Errorf("%s %v: prefix length out of range for IPv6 (0-128)", what, a)
}

// withPrefix names the object of an operation by its prefix, for errors:
// "route add 10.0.0.0/8". A prefix whose length is out of range shows its
// address alone, and an unset one nothing, rather than netip's "invalid
// Prefix".
func withPrefix(op string, p netip.Prefix) string {
	switch {
	case p.IsValid():
		return op + " " + p.String()
	case p.Addr().IsValid():
		return op + " " + p.Addr().String()
	}
	return op
}
