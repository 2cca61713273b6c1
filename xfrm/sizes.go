//go:build !386

package xfrm

// Sizes of the structs that end in padding to the alignment of __u64,
// which is 8 bytes on every architecture but 386 (see sizes_386.go).
const (
	sizeofUsersaInfo     = 224 // struct xfrm_usersa_info
	sizeofUserpolicyInfo = 168 // struct xfrm_userpolicy_info
	sizeofUserspiInfo    = 232 // struct xfrm_userspi_info
)
