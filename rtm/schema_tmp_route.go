package rtm

// Temporary: the generated schemas (scripts/gen_schema.py) define
// routeSchema; delete this file when they do.
var routeSchema = newSchema("route")
