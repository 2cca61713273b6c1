package hostile

import "iter"

// Keys returns key of each object a dump yields, up to the first error,
// which it returns with the keys before it: what the churn tests compare
// with the objects that never changed.
func Keys[T any](seq iter.Seq2[T, error], key func(T) string) ([]string, error) {
	var keys []string
	for v, err := range seq {
		if err != nil {
			return keys, err
		}
		keys = append(keys, key(v))
	}
	return keys, nil
}
