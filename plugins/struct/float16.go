package structlib

import (
	"fmt"
	"math"
)

// float16bits rounds x to IEEE 754 half precision (round half to even) the
// way CPython's PyFloat_Pack2 does, refusing finite values that overflow.
func float16bits(x float64) (uint16, error) {
	var sign uint16
	if math.Signbit(x) {
		sign = 1
	}
	var e int
	var bits uint16
	switch {
	case math.IsNaN(x):
		e, bits = 0x1f, 512
	case math.IsInf(x, 0):
		e = 0x1f
	case x == 0:
	default:
		f, exp := math.Frexp(math.Abs(x)) // f in [0.5, 1)
		f *= 2
		e = exp - 1
		switch {
		case e >= 16:
			return 0, errHalfOverflow
		case e < -25:
			f, e = 0, 0
		case e < -14:
			f, e = math.Ldexp(f, 14+e), 0
		default:
			e += 15
			f--
		}
		f *= 1024
		bits = uint16(f)
		rest := f - float64(bits)
		if rest > 0.5 || (rest == 0.5 && bits%2 == 1) {
			bits++
			if bits == 1024 {
				bits = 0
				e++
				if e == 31 {
					return 0, errHalfOverflow
				}
			}
		}
	}
	return sign<<15 | uint16(e)<<10 | bits, nil
}

var errHalfOverflow = fmt.Errorf("float too large to pack with e format")

// float16value expands half-precision bits to a float64.
func float16value(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e := int(h>>10) & 0x1f
	m := float64(h & 0x3ff)
	switch e {
	case 0:
		return sign * math.Ldexp(m, -24)
	case 0x1f:
		if m == 0 {
			return math.Inf(int(sign))
		}
		return math.NaN()
	}
	return sign * math.Ldexp(1+m/1024, e-15)
}
