package socket

import "encoding/binary"

var native = binary.NativeEndian

func nativeUint32(b []byte) uint32       { return native.Uint32(b) }
func nativeUint16(b []byte) uint16       { return native.Uint16(b) }
func nativePutUint32(b []byte, v uint32) { native.PutUint32(b, v) }
func nativePutUint16(b []byte, v uint16) { native.PutUint16(b, v) }
