package wireguard_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ipr-go/ipr/genl/wireguard"
)

// TestKey checks the text form and the public key against RFC 7748's
// X25519 test vector (section 6.1, Alice).
func TestKey(t *testing.T) {
	privHex := "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
	pubHex := "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
	b, _ := hex.DecodeString(privHex)
	priv, err := wireguard.NewKey(b)
	if err != nil {
		t.Fatal(err)
	}
	if pub := priv.PublicKey(); hex.EncodeToString(pub[:]) != pubHex {
		got := hex.EncodeToString(pub[:])
		t.Errorf("PublicKey = %s, want %s", got, pubHex)
	}
	s := priv.String()
	if s != "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=" {
		t.Errorf("String = %s", s)
	}
	back, err := wireguard.ParseKey(s)
	if err != nil || back != priv {
		t.Errorf("ParseKey(%s) = %v, %v", s, back, err)
	}
	j, err := json.Marshal(struct{ K wireguard.Key }{priv})
	if err != nil || string(j) != `{"K":"`+s+`"}` {
		t.Errorf("JSON = %s, %v", j, err)
	}
	var k struct{ K wireguard.Key }
	if err := json.Unmarshal(j, &k); err != nil || k.K != priv {
		t.Errorf("JSON back = %v, %v", k.K, err)
	}

	var zero wireguard.Key
	if !zero.IsZero() || priv.IsZero() || zero.String() != "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" {
		t.Errorf("zero key: IsZero %v, String %s", zero.IsZero(), zero.String())
	}

	for _, bad := range []string{"", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo==",
		"dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC!=", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCp=", // non-canonical last char
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", // 31 bytes
	} {
		if _, err := wireguard.ParseKey(bad); !errors.Is(err, wireguard.ErrKey) {
			t.Errorf("ParseKey(%q): %v; want ErrKey", bad, err)
		}
	}
	for _, n := range []int{0, 31, 33} {
		if _, err := wireguard.NewKey(make([]byte, n)); !errors.Is(err, wireguard.ErrKey) {
			t.Errorf("NewKey(%d bytes): %v; want ErrKey", n, err)
		}
	}
	var u wireguard.Key
	if err := u.UnmarshalText([]byte("nope")); err == nil {
		t.Error("UnmarshalText accepted nope")
	}

	g, err := wireguard.GeneratePrivateKey()
	if err != nil || g.IsZero() || g[0]&7 != 0 || g[31]&0xc0 != 0x40 {
		t.Errorf("GeneratePrivateKey = %x, %v; want clamped", g, err)
	}
	if g.PublicKey() == g.PublicKey().PublicKey() {
		t.Error("public key of a public key equals it")
	}
}
