package tc

import (
	"errors"
	"fmt"

	"github.com/ipr-go/ipr/internal/rtnl"
	"github.com/ipr-go/ipr/nla"
)

// SizeTable is a qdisc's size table (TCA_STAB, tc's "stab overhead 20
// linklayer atm"): the packet sizes the qdisc accounts, computed from
// the real ones by adding an overhead, raising to a minimum and, for
// ATM, rounding to whole cells. It is encoded as tc_calc_size_table
// computes it: a table of TSize cells covering MTU bytes when the link
// layer is ATM or MPU is set, the overhead alone otherwise.
type SizeTable struct {
	Overhead  int32
	MPU       uint32
	Linklayer Linklayer
	// MTU and TSize size the table: 2047 bytes in 512 cells when zero.
	MTU, TSize uint32
}

// The attributes of TCA_STAB (linux/pkt_sched.h).
const (
	stabBase     = 1 // TCA_STAB_BASE: struct tc_sizespec
	stabData     = 2 // TCA_STAB_DATA: u16 per cell
	sizeofSizeSp = 24
	maxStabCells = 0x7fff // what fits in one attribute
)

// sizeSpec is struct tc_sizespec as tc_calc_size_table fills it, and
// the table; nil when none is needed.
func (st *SizeTable) sizeSpec() (spec [sizeofSizeSp]byte, table []uint16, err error) {
	if st.Linklayer < LinklayerEthernet && st.MPU == 0 && st.Overhead == 0 {
		return spec, nil, errors.New("size table: set an overhead, an mpu or a link layer")
	}
	if st.Linklayer > LinklayerATM {
		return spec, nil, fmt.Errorf("size table: link layer %d", st.Linklayer)
	}
	mtu, tsize := st.MTU, st.TSize
	var cellLog, sizeLog uint8
	var cellAlign int16
	if st.Linklayer > LinklayerEthernet || st.MPU != 0 {
		if mtu == 0 {
			mtu = 2047
		}
		if tsize == 0 {
			tsize = 512
		}
		if tsize > maxStabCells {
			return spec, nil, fmt.Errorf("size table: %d cells, at most %d", tsize, maxStabCells)
		}
		for mtu>>cellLog > tsize-1 {
			cellLog++
		}
		table = make([]uint16, tsize)
	again:
		for i := int(tsize) - 1; i >= 0; i-- {
			sz := adjustSize(uint32(i+1)<<cellLog, st.MPU, st.Linklayer)
			if sz>>sizeLog > 0xffff {
				sizeLog++
				goto again
			}
			table[i] = uint16(sz >> sizeLog)
		}
		cellAlign = -1
	} else {
		mtu, tsize = 0, 0
	}
	spec[0], spec[1] = cellLog, sizeLog
	native.PutUint16(spec[2:], uint16(cellAlign))
	native.PutUint32(spec[4:], uint32(st.Overhead))
	native.PutUint32(spec[8:], uint32(st.Linklayer))
	native.PutUint32(spec[12:], st.MPU)
	native.PutUint32(spec[16:], mtu)
	native.PutUint32(spec[20:], tsize)
	return spec, table, nil
}

// adjustSize is tc_adjust_size: a size raised to mpu, in whole ATM
// cells on ATM.
func adjustSize(sz, mpu uint32, ll Linklayer) uint32 {
	sz = max(sz, mpu)
	if ll == LinklayerATM {
		cells := sz / atmCellPayload
		if sz%atmCellPayload > 0 {
			cells++
		}
		sz = cells * atmCellSize
	}
	return sz
}

// appendStab appends TCA_STAB for st, unless it is nil.
func appendStab(e *nla.Encoder, st *SizeTable) error {
	if st == nil {
		return nil
	}
	spec, table, err := st.sizeSpec()
	if err != nil {
		return err
	}
	n := rtnl.BeginPlain(e, attrStab)
	e.Binary(stabBase, spec[:])
	if table != nil {
		b := make([]byte, 2*len(table))
		for i, v := range table {
			native.PutUint16(b[2*i:], v)
		}
		e.Binary(stabData, b)
	}
	n.End(e)
	return e.Err()
}

// SizeTable returns the qdisc's size table (TCA_STAB), as the settings
// that make it again; false when it has none.
func (o Object) SizeTable() (SizeTable, bool) {
	a, ok := o.get(attrStab)
	if !ok {
		return SizeTable{}, false
	}
	base, ok := a.Nested().Get(stabBase)
	if !ok || len(base.Data) < sizeofSizeSp {
		return SizeTable{}, false
	}
	b := base.Data
	return SizeTable{Overhead: int32(native.Uint32(b[4:])), Linklayer: Linklayer(native.Uint32(b[8:])),
		MPU: native.Uint32(b[12:]), MTU: native.Uint32(b[16:]), TSize: native.Uint32(b[20:])}, true
}
