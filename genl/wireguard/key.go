package wireguard

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// Key is a WireGuard key: a Curve25519 private or public key, or a
// preshared key. Its text form is wg(8)'s: standard base64, 44
// characters. The zero Key is a valid value (all zero bytes), which the
// kernel reads as "none": a device's zero private key removes its
// identity, a peer's zero preshared key removes the preshared key.
type Key [KeyLen]byte

// ErrKey is matched (errors.Is) by the error of a key that does not
// parse: not base64, or not KeyLen bytes.
var ErrKey = errors.New("wireguard: invalid key")

// ParseKey parses a key in wg(8)'s form: base64 of KeyLen bytes.
func ParseKey(s string) (Key, error) {
	var k Key
	if len(s) != base64.StdEncoding.EncodedLen(KeyLen) {
		return k, fmt.Errorf("%w: %d characters, want %d", ErrKey, len(s), base64.StdEncoding.EncodedLen(KeyLen))
	}
	var buf [KeyLen + 1]byte // base64 of 32 bytes decodes into at most 33
	n, err := base64.StdEncoding.Strict().Decode(buf[:], []byte(s))
	if err != nil || n != KeyLen {
		return Key{}, fmt.Errorf("%w: %q is not base64 of %d bytes", ErrKey, s, KeyLen)
	}
	copy(k[:], buf[:n])
	return k, nil
}

// NewKey returns the key whose bytes are b, which must be KeyLen long.
func NewKey(b []byte) (Key, error) {
	var k Key
	if len(b) != KeyLen {
		return k, fmt.Errorf("%w: %d bytes, want %d", ErrKey, len(b), KeyLen)
	}
	copy(k[:], b)
	return k, nil
}

// String returns k in wg(8)'s form, base64.
func (k Key) String() string { return base64.StdEncoding.EncodeToString(k[:]) }

// IsZero reports whether every byte of k is zero: no key (wg(8) prints
// "(none)").
func (k Key) IsZero() bool { return k == Key{} }

// MarshalText returns k's base64 form, for encoding/json and friends.
func (k Key) MarshalText() ([]byte, error) {
	b := make([]byte, base64.StdEncoding.EncodedLen(KeyLen))
	base64.StdEncoding.Encode(b, k[:])
	return b, nil
}

// UnmarshalText parses k from its base64 form.
func (k *Key) UnmarshalText(b []byte) error {
	p, err := ParseKey(string(b))
	if err != nil {
		return err
	}
	*k = p
	return nil
}

// PublicKey returns the public key of the private key k (`wg pubkey`).
func (k Key) PublicKey() Key {
	// Every 32-byte string is an X25519 private key: NewPrivateKey fails
	// only on a wrong length, which Key's type rules out.
	priv, err := ecdh.X25519().NewPrivateKey(k[:])
	if err != nil {
		return Key{}
	}
	var pub Key
	copy(pub[:], priv.PublicKey().Bytes())
	return pub
}

// GeneratePrivateKey returns a new private key from crypto/rand, clamped
// as `wg genkey` clamps it.
func GeneratePrivateKey() (Key, error) {
	k, err := GenerateKey()
	if err != nil {
		return k, err
	}
	k[0] &= 248
	k[31] = k[31]&127 | 64
	return k, nil
}

// GenerateKey returns KeyLen random bytes from crypto/rand: a preshared
// key (`wg genpsk`).
func GenerateKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, fmt.Errorf("wireguard: generating a key: %w", err)
	}
	return k, nil
}
