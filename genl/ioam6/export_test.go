package ioam6

// ByNameSchema is the package's by-name schema, for TestSchema.
var ByNameSchema = ioam6Schema
