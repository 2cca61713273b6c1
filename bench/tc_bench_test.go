package bench

import "testing"

func BenchmarkHTBClassDump(b *testing.B) { run(b, "htb-class-dump", true) }
