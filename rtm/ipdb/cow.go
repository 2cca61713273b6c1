package ipdb

import (
	"encoding/binary"
	"fmt"
	"maps"
	"net/netip"
)

// The database's indexes are hash maps split into shards, each shard owned
// by the generation that last wrote it. Taking a snapshot freezes the
// current generation (it copies the shard pointers, not the shards) and
// starts a new one; the first write to a shard after that copies that shard
// alone. So a snapshot costs a few kilobytes however big the tables are,
// readers of a snapshot never lock, and an update costs at most one
// shard's copy (a few hundred entries at 100 000 routes) per snapshot
// taken since the shard was last written.

const (
	shardBits = 8
	numShards = 1 << shardBits
)

// hashable is a key with its own hash: the shard a key lives in is a
// function of the key alone, so two states' shards can be compared pairwise.
type hashable interface {
	comparable
	hash() uint64
}

type shard[K hashable, V any] struct {
	gen uint64
	m   map[K]V
}

// cowMap is a sharded copy-on-write map. Its zero value is empty.
type cowMap[K hashable, V any] struct {
	shards [numShards]*shard[K, V]
	n      int
}

func shardOf(h uint64) int { return int(h>>32^h) & (numShards - 1) }

func (m *cowMap[K, V]) get(k K) (V, bool) {
	s := m.shards[shardOf(k.hash())]
	if s == nil {
		var zero V
		return zero, false
	}
	v, ok := s.m[k]
	return v, ok
}

// writable returns shard i owned by gen, copying it if an older
// generation owns it.
func (m *cowMap[K, V]) writable(gen uint64, i int) *shard[K, V] {
	s := m.shards[i]
	switch {
	case s == nil:
		s = &shard[K, V]{gen: gen, m: make(map[K]V)}
		m.shards[i] = s
	case s.gen != gen:
		s = &shard[K, V]{gen: gen, m: maps.Clone(s.m)}
		m.shards[i] = s
	}
	return s
}

func (m *cowMap[K, V]) set(gen uint64, k K, v V) {
	s := m.writable(gen, shardOf(k.hash()))
	if _, ok := s.m[k]; !ok {
		m.n++
	}
	s.m[k] = v
}

// slot returns the writable shard of k and k's value in it, hashing k
// once: for a read followed by a write (see put).
func (m *cowMap[K, V]) slot(gen uint64, k K) (s *shard[K, V], v V, ok bool) {
	s = m.writable(gen, shardOf(k.hash()))
	v, ok = s.m[k]
	return s, v, ok
}

// put stores v for k in s, a shard slot returned, with had telling
// whether k was there.
func (m *cowMap[K, V]) put(s *shard[K, V], k K, v V, had bool) {
	if !had {
		m.n++
	}
	s.m[k] = v
}

func (m *cowMap[K, V]) del(gen uint64, k K) {
	i := shardOf(k.hash())
	if s := m.shards[i]; s == nil {
		return
	} else if _, ok := s.m[k]; !ok {
		return
	}
	delete(m.writable(gen, i).m, k)
	m.n--
}

// all yields every entry, shard by shard.
func (m *cowMap[K, V]) all(yield func(K, V) bool) {
	for _, s := range m.shards {
		if s == nil {
			continue
		}
		for k, v := range s.m {
			if !yield(k, v) {
				return
			}
		}
	}
}

// inShard yields the entries of the shard h selects: with a hash that
// ignores part of the key, the entries that share the rest.
func (m *cowMap[K, V]) inShard(h uint64, yield func(K, V) bool) {
	s := m.shards[shardOf(h)]
	if s == nil {
		return
	}
	for k, v := range s.m {
		if !yield(k, v) {
			return
		}
	}
}

// bulk gathers the entries of a load, shard by shard, and then builds
// each shard's map at its final size while the shard is in cache.
// Inserting 100 000 entries one by one into maps spread over megabytes
// costs a cache miss each, and growing the maps copies them again and
// again: gathering first and building once takes a fraction of the time.
//
// The values are byte strings, kept in large chunks that the built map's
// values then share (as in slab), and an entry refers to its value by
// position: entries hold no pointers, so gathering them costs the
// garbage collector nothing.
type bulk[K hashable] struct {
	chunks [][]byte
	parts  [numShards][]bulkEntry[K]
}

type bulkEntry[K hashable] struct {
	k             K
	chunk, off, n uint32
}

// add gathers an entry for k and returns its value's n bytes, to be
// filled in.
func (b *bulk[K]) add(k K, n int) []byte {
	last := len(b.chunks) - 1
	if last < 0 || cap(b.chunks[last])-len(b.chunks[last]) < n {
		b.chunks = append(b.chunks, make([]byte, 0, max(chunkSize(len(b.chunks)), n)))
		last++
	}
	c := b.chunks[last]
	off := len(c)
	b.chunks[last] = c[:off+n]
	i := shardOf(k.hash())
	b.parts[i] = append(b.parts[i], bulkEntry[K]{k: k, chunk: uint32(last), off: uint32(off), n: uint32(n)})
	return c[off : off+n : off+n]
}

// build returns the map of the gathered entries, owned by gen. merge
// combines the values of a key gathered twice, the earlier first; a nil
// merge keeps the later.
func (b *bulk[K]) build(gen uint64, merge func(old, v []byte) []byte) cowMap[K, []byte] {
	var m cowMap[K, []byte]
	for i, part := range b.parts {
		if len(part) == 0 {
			continue
		}
		s := &shard[K, []byte]{gen: gen, m: make(map[K][]byte, len(part))}
		for _, e := range part {
			end := e.off + e.n
			v := b.chunks[e.chunk][e.off:end:end]
			if merge != nil {
				if old, ok := s.m[e.k]; ok {
					v = merge(old, v)
				}
			}
			s.m[e.k] = v
		}
		m.shards[i] = s
		m.n += len(s.m)
	}
	return m
}

// buildUnique is build for a table that holds each key once: a key
// gathered twice fails it with errDuplicate, naming what.
func (b *bulk[K]) buildUnique(gen uint64, what string) (cowMap[K, []byte], error) {
	dup := false
	m := b.build(gen, func(old, v []byte) []byte { dup = true; return v })
	if dup {
		return cowMap[K, []byte]{}, fmt.Errorf("%s: %w", what, errDuplicate)
	}
	return m, nil
}

// Keys of fixed size hash their fields as 64-bit words through mix;
// strings go through FNV-1a.

// mix is MurmurHash3's 64-bit finaliser: each input bit flips each
// output bit with a probability of about one half, so that any bits of
// the keys select the shard.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// hashAddr hashes an address in As16 form with other fields, packed in
// a word. Multiplying by distinct odd constants first keeps the three
// words from cancelling out in the XOR; mix does the rest.
func hashAddr(fields uint64, a *[16]byte) uint64 {
	return mix(fields ^ binary.LittleEndian.Uint64(a[:8])*0x9e3779b97f4a7c15 ^
		binary.LittleEndian.Uint64(a[8:])*0xc2b2ae3d27d4eb4f)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// indexKey keys links by interface index.
type indexKey int32

func (k indexKey) hash() uint64 { return mix(uint64(uint32(k))) }

// nameKey keys the name index.
type nameKey string

func (k nameKey) hash() uint64 { return fnv(string(k)) }

// addrKey identifies an address as the kernel does: interface, family,
// prefix length, local address and peer.
type addrKey struct {
	index  int32
	family uint8
	plen   uint8
	local  [16]byte
	peer   [16]byte
}

// hash covers the interface only, so that an interface's addresses share
// a shard and listing them reads one shard.
func (k addrKey) hash() uint64 { return mix(uint64(uint32(k.index))) }

// prefixKey is a route's destination in its table. The routes that share
// one (several priorities, TOS values or types) are kept together.
type prefixKey struct {
	table  uint32
	family uint8
	bits   uint8
	dst    [16]byte
}

func (k prefixKey) hash() uint64 {
	return hashAddr(uint64(k.table)<<16|uint64(k.family)<<8|uint64(k.bits), &k.dst)
}

// neighKey identifies a neighbour: interface, family and address.
type neighKey struct {
	index  int32
	family uint8
	dst    [16]byte
}

func (k neighKey) hash() uint64 {
	return hashAddr(uint64(uint32(k.index))<<8|uint64(k.family), &k.dst)
}

// ruleKey is a rule's whole message: rules have no other identity.
type ruleKey string

func (k ruleKey) hash() uint64 { return fnv(string(k)) }

// keyAddr returns an address as keys hold it: its 4 or 16 bytes, from
// the first, and zeros after; the family field tells the two apart. An
// absent address, as a default route's destination is, is all zeros,
// like the unspecified address it stands for.
func keyAddr(a netip.Addr) (k [16]byte) {
	if a.Is4() {
		b := a.As4()
		copy(k[:], b[:])
	} else if a.Is6() {
		k = a.As16()
	}
	return k
}

// keyAddrBytes is keyAddr of an address attribute's payload.
func keyAddrBytes(b []byte) (k [16]byte) {
	if len(b) == 4 || len(b) == 16 {
		copy(k[:], b)
	}
	return k
}
