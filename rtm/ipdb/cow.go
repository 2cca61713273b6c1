package ipdb

import (
	"encoding/binary"
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

// FNV-1a, over the fixed-size fields of the keys.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type hasher uint64

func newHasher() hasher { return fnvOffset }

func (h hasher) byte(b byte) hasher { return (h ^ hasher(b)) * fnvPrime }

func (h hasher) u32(v uint32) hasher {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return h.bytes(b[:])
}

func (h hasher) bytes(b []byte) hasher {
	for _, c := range b {
		h = (h ^ hasher(c)) * fnvPrime
	}
	return h
}

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * fnvPrime
	}
	return h
}

func (h hasher) addr(a [16]byte) hasher { return h.bytes(a[:]) }

// indexKey keys links by interface index.
type indexKey int32

func (k indexKey) hash() uint64 { return uint64(newHasher().u32(uint32(k))) }

// nameKey keys the name index.
type nameKey string

func (k nameKey) hash() uint64 { return uint64(newHasher().str(string(k))) }

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
func (k addrKey) hash() uint64 { return uint64(newHasher().u32(uint32(k.index))) }

// prefixKey is a route's destination in its table. The routes that share
// one (several priorities, TOS values or types) are kept together.
type prefixKey struct {
	table  uint32
	family uint8
	bits   uint8
	dst    [16]byte
}

func (k prefixKey) hash() uint64 {
	return uint64(newHasher().u32(k.table).byte(k.family).byte(k.bits).addr(k.dst))
}

// neighKey identifies a neighbour: interface, family and address.
type neighKey struct {
	index  int32
	family uint8
	dst    [16]byte
}

func (k neighKey) hash() uint64 {
	return uint64(newHasher().u32(uint32(k.index)).byte(k.family).addr(k.dst))
}

// ruleKey is a rule's whole message: rules have no other identity.
type ruleKey string

func (k ruleKey) hash() uint64 { return uint64(newHasher().str(string(k))) }

func addr16(a netip.Addr) [16]byte {
	if !a.IsValid() {
		return [16]byte{}
	}
	return a.As16()
}
