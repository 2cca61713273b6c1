//go:build 386

package xfrm

// Sizes of the structs that end in padding to the alignment of __u64,
// which i386 aligns to 4 bytes: a 32-bit kernel's layout. (A 64-bit
// kernel answers a 32-bit program with its own layout unless built with
// CONFIG_XFRM_USER_COMPAT.)
const (
	sizeofUsersaInfo     = 220 // struct xfrm_usersa_info
	sizeofUserpolicyInfo = 164 // struct xfrm_userpolicy_info
	sizeofUserspiInfo    = 228 // struct xfrm_userspi_info
)
