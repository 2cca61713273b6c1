// Package binsize holds the peers' versions of the links-listing program
// of ../../../internal/binsize/links, which scripts/binsize.sh -peers
// builds the same way to compare binary sizes and init work.
package binsize
