package tc

import "github.com/ipr-go/ipr/rtm"

// EncodeRequest builds req's message, for the external tests.
func EncodeRequest(req rtm.Request) ([]byte, error) { return buildRequest(req) }
