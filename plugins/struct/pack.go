package structlib

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// maxExact is 2^53: every integer up to it in magnitude is exact in a
// float64, which is what a gopher-lua number is.
const maxExact = 1 << 53

// valueError is a packing error for the value at index (0-based) in the
// values being packed.
type valueError struct {
	index int
	msg   string
}

func (e *valueError) Error() string { return e.msg }

func (f *format) order() binary.ByteOrder {
	if f.bigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// pack encodes vals by f; len(vals) must equal f.nvalues.
func (f *format) pack(vals []lua.LValue) ([]byte, error) {
	if len(vals) != f.nvalues {
		return nil, fmt.Errorf("expected %d items for packing (got %d)", f.nvalues, len(vals))
	}
	out := make([]byte, f.size)
	bo := f.order()
	vi := 0
	for _, it := range f.items {
		switch it.c {
		case 'x':
			continue
		case 's', 'p':
			s, ok := vals[vi].(lua.LString)
			if !ok {
				return nil, &valueError{vi, fmt.Sprintf("argument for '%c' must be a string", it.c)}
			}
			packString(out[it.offset:it.offset+it.count], string(s), it.c == 'p')
			vi++
			continue
		}
		for k := 0; k < it.count; k++ {
			dst := out[it.offset+k*it.size : it.offset+(k+1)*it.size]
			if err := packOne(dst, it, vals[vi], bo); err != nil {
				return nil, &valueError{vi, err.Error()}
			}
			vi++
		}
	}
	return out, nil
}

// packString fills dst with s, truncated or padded with zero bytes; a
// Pascal string ('p') starts with its length byte. As in CPython, the
// length byte stops at 255 but a longer field still gets all the bytes
// that fit.
func packString(dst []byte, s string, pascal bool) {
	if !pascal {
		copy(dst, s)
		return
	}
	if len(dst) == 0 {
		return
	}
	n := copy(dst[1:], s)
	dst[0] = byte(min(n, 255))
}

func packOne(dst []byte, it item, v lua.LValue, bo binary.ByteOrder) error {
	switch it.c {
	case 'c':
		s, ok := v.(lua.LString)
		if !ok || len(s) != 1 {
			return fmt.Errorf("char format requires a string of length 1")
		}
		dst[0] = s[0]
	case '?':
		dst[0] = 1
		if v == lua.LNil || v == lua.LFalse || v == lua.LNumber(0) {
			dst[0] = 0
		}
	case 'e', 'f', 'd':
		n, ok := v.(lua.LNumber)
		if !ok {
			return fmt.Errorf("required argument is not a float")
		}
		x := float64(n)
		switch it.c {
		case 'e':
			h, err := float16bits(x)
			if err != nil {
				return err
			}
			bo.PutUint16(dst, h)
		case 'f':
			// CPython 3.11 packs +Inf for a native "f" and raises only
			// for the standard sizes; nsh raises for both, as it does for
			// "e": a finite number never silently becomes infinite.
			y := float32(x)
			if math.IsInf(float64(y), 0) && !math.IsInf(x, 0) {
				return fmt.Errorf("float too large to pack with f format")
			}
			bo.PutUint32(dst, math.Float32bits(y))
		case 'd':
			bo.PutUint64(dst, math.Float64bits(x))
		}
	default:
		u, err := toInteger(v, it)
		if err != nil {
			return err
		}
		switch it.size {
		case 1:
			dst[0] = byte(u)
		case 2:
			bo.PutUint16(dst, uint16(u))
		case 4:
			bo.PutUint32(dst, uint32(u))
		case 8:
			bo.PutUint64(dst, u)
		}
	}
	return nil
}

// bounds returns the range of an integer code.
func bounds(it item) (lo int64, hi uint64) {
	bits := uint(it.size * 8)
	if it.signed {
		return -1 << (bits - 1), 1<<(bits-1) - 1
	}
	if bits == 64 {
		return 0, math.MaxUint64
	}
	return 0, 1<<bits - 1
}

// rangeError is Python 3.12+'s message for an integer out of range.
func rangeError(it item) error {
	lo, hi := bounds(it)
	return fmt.Errorf("'%c' format requires %d <= number <= %d", it.c, lo, hi)
}

var errNotInteger = fmt.Errorf("required argument is not an integer")

// toInteger converts v to the two's-complement bits of an integer code.
// 8-byte codes also take a decimal (or 0x hex) string, so that values beyond
// 2^53 can be packed exactly.
func toInteger(v lua.LValue, it item) (uint64, error) {
	lo, hi := bounds(it)
	switch x := v.(type) {
	case lua.LNumber:
		n := float64(x)
		if n != math.Trunc(n) || math.IsInf(n, 0) {
			return 0, errNotInteger
		}
		if n < float64(lo) || n > float64(hi) || (n == float64(hi) && hi > maxExact) {
			return 0, rangeError(it)
		}
		if math.Abs(n) > maxExact {
			return 0, fmt.Errorf("'%c' value %s is beyond 2^53 and may have lost precision (pass it as a decimal string)", it.c, strconv.FormatFloat(n, 'f', 0, 64))
		}
		return uint64(int64(n)), nil
	case lua.LString:
		if it.size != 8 {
			return 0, errNotInteger
		}
		s := string(x)
		if it.signed {
			i, err := strconv.ParseInt(s, 0, 64)
			if err != nil {
				return 0, stringIntError(err, it)
			}
			return uint64(i), nil
		}
		u, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			if len(s) > 0 && s[0] == '-' {
				if _, e := strconv.ParseInt(s, 0, 64); e == nil || e.(*strconv.NumError).Err == strconv.ErrRange {
					return 0, rangeError(it)
				}
			}
			return 0, stringIntError(err, it)
		}
		return u, nil
	}
	return 0, errNotInteger
}

func stringIntError(err error, it item) error {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return rangeError(it)
	}
	return errNotInteger
}
