package rtm

// putOpt writes the attribute typ of o's value with put (b.Uint8,
// b.Uint32, b.Uint16BE, ...) when o is set: the specifications send an
// optional field only when it is set.
func putOpt[T any](put func(typ uint16, v T), typ uint16, o Opt[T]) {
	if v, ok := o.Get(); ok {
		put(typ, v)
	}
}
