package seg6

// Schema is the package's by-name schema, for TestSchema.
var Schema = seg6Schema
