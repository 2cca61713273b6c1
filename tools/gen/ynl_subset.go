package main

// dedupSubset drops the repeats from a subset-of attribute set: a subset
// names attributes of its full set, so a name listed twice is the same
// attribute twice, which the kernel's devlink.yaml does (dl-dpipe-table
// lists dpipe-table-name and dpipe-table-size twice, as of Linux 6.12).
// A full set that repeats a name still stops the generator, in
// emitSchema: there the two would be different attributes.
func dedupSubset(s *ynlAttrSet) {
	if s.SubsetOf == "" {
		return
	}
	seen := map[string]bool{}
	kept := s.Attributes[:0]
	for _, a := range s.Attributes {
		if !seen[a.Name] {
			seen[a.Name] = true
			kept = append(kept, a)
		}
	}
	s.Attributes = kept
}
