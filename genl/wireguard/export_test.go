package wireguard

import "github.com/ipr-go/ipr/internal/schema"

// Schemas are the package's by-name schemas, for TestSchemas.
var Schemas = []*schema.Schema{allowedIPSchema, allowedIPsSchema, peerSchema, peersSchema, deviceSchema}
