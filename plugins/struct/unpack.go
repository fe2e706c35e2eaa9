package structlib

import (
	"fmt"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// unpack decodes data, which must be exactly f.size bytes, into Lua values.
// Integers beyond 2^53 in magnitude come back as decimal strings.
func (f *format) unpack(data []byte) []lua.LValue {
	out := make([]lua.LValue, 0, f.nvalues)
	bo := f.order()
	for _, it := range f.items {
		switch it.c {
		case 'x':
			continue
		case 's':
			out = append(out, lua.LString(data[it.offset:it.offset+it.count]))
			continue
		case 'p':
			b := data[it.offset : it.offset+it.count]
			if len(b) == 0 {
				out = append(out, lua.LString(""))
				continue
			}
			n := min(int(b[0]), len(b)-1)
			out = append(out, lua.LString(b[1:1+n]))
			continue
		}
		for k := 0; k < it.count; k++ {
			b := data[it.offset+k*it.size : it.offset+(k+1)*it.size]
			out = append(out, unpackOne(b, it, bo))
		}
	}
	return out
}

type byteOrder interface {
	Uint16([]byte) uint16
	Uint32([]byte) uint32
	Uint64([]byte) uint64
}

func unpackOne(b []byte, it item, bo byteOrder) lua.LValue {
	switch it.c {
	case 'c':
		return lua.LString(b)
	case '?':
		return lua.LBool(b[0] != 0)
	case 'e':
		return lua.LNumber(float16value(bo.Uint16(b)))
	case 'f':
		return lua.LNumber(math.Float32frombits(bo.Uint32(b)))
	case 'd':
		return lua.LNumber(math.Float64frombits(bo.Uint64(b)))
	}
	var u uint64
	switch it.size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(bo.Uint16(b))
	case 4:
		u = uint64(bo.Uint32(b))
	case 8:
		u = bo.Uint64(b)
	}
	if !it.signed {
		if u > maxExact {
			return lua.LString(strconv.FormatUint(u, 10))
		}
		return lua.LNumber(u)
	}
	shift := 64 - uint(it.size*8)
	i := int64(u<<shift) >> shift
	if i > maxExact || i < -maxExact {
		return lua.LString(strconv.FormatInt(i, 10))
	}
	return lua.LNumber(i)
}

// sizeError is Python's message for a buffer of the wrong size.
func sizeError(f *format) error {
	return fmt.Errorf("unpack requires a buffer of %d bytes", f.size)
}
