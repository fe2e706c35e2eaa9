package structlib

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
)

// maxResults caps how many values one unpack call returns on the Lua stack.
const maxResults = 4096

// raise raises a Lua error "struct.<fn>: <msg>".
func raise(L *lua.LState, fn, msg string, args ...any) {
	L.RaiseError("struct.%s: %s", fn, fmt.Sprintf(msg, args...))
}

// argError raises "struct.<fn>: bad argument #n (<msg>)".
func argError(L *lua.LState, fn string, n int, msg string, args ...any) {
	L.RaiseError("struct.%s: bad argument #%d (%s)", fn, n, fmt.Sprintf(msg, args...))
}

// checkString returns argument n, which must be a string.
func checkString(L *lua.LState, fn string, n int) string {
	v := L.Get(n)
	s, ok := v.(lua.LString)
	if !ok {
		argError(L, fn, n, "string expected, got %s", typeName(L, n))
	}
	return string(s)
}

// typeName names the type of argument n ("no value" when it is absent).
func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// checkFormat parses argument 1 as a format, and checks its size (what
// pack makes, what unpack copies) against the memory guard.
func checkFormat(L *lua.LState, fn string) *format {
	f, err := parseFormat(checkString(L, fn, 1))
	if err != nil {
		argError(L, fn, 1, "%v", err)
	}
	if err := memguard.Check("struct."+fn, int64(f.size)); err != nil {
		L.RaiseError("%v", err)
	}
	return f
}

// pushValues pushes vals and returns their count.
func pushValues(L *lua.LState, fn string, f *format, data []byte) int {
	if f.nvalues > maxResults {
		raise(L, fn, "format yields %d values, more than the %d one call can return (use struct.iter_unpack or a repeat count on 's')", f.nvalues, maxResults)
	}
	vals := f.unpack(data)
	for _, v := range vals {
		L.Push(v)
	}
	return len(vals)
}

// Pack is struct.pack(fmt, v1, ...) -> string: the values packed by fmt.
func Pack(L *lua.LState) int {
	f := checkFormat(L, "pack")
	vals := make([]lua.LValue, 0, L.GetTop()-1)
	for i := 2; i <= L.GetTop(); i++ {
		vals = append(vals, L.Get(i))
	}
	b, err := f.pack(vals)
	if err != nil {
		if ve, ok := err.(*valueError); ok {
			argError(L, "pack", ve.index+2, "%s", ve.msg)
		}
		raise(L, "pack", "%v", err)
	}
	L.Push(lua.LString(b))
	return 1
}

// Unpack is struct.unpack(fmt, data) -> v1, ...: data must be exactly
// struct.calcsize(fmt) bytes.
func Unpack(L *lua.LState) int {
	f := checkFormat(L, "unpack")
	data := checkString(L, "unpack", 2)
	if len(data) != f.size {
		argError(L, "unpack", 2, "unpack requires a buffer of %d bytes, got %d", f.size, len(data))
	}
	return pushValues(L, "unpack", f, []byte(data))
}

// UnpackFrom is struct.unpack_from(fmt, data[, offset]) -> v1, ...: unpacks
// from data starting at the 0-based offset (negative counts from the end, as
// in Python); data may be longer than needed.
func UnpackFrom(L *lua.LState) int {
	f := checkFormat(L, "unpack_from")
	data := checkString(L, "unpack_from", 2)
	off := 0
	if v := L.Get(3); v != lua.LNil {
		n, ok := v.(lua.LNumber)
		if !ok || float64(n) != float64(int64(n)) {
			argError(L, "unpack_from", 3, "offset must be an integer, got %s", typeName(L, 3))
		}
		off = int(n)
	}
	if off < 0 {
		if off+len(data) < 0 {
			argError(L, "unpack_from", 3, "offset %d out of range for %d-byte buffer", off, len(data))
		}
		off += len(data)
	}
	if off > len(data) || len(data)-off < f.size {
		argError(L, "unpack_from", 2, "unpack_from requires a buffer of at least %d bytes for unpacking %d bytes at offset %d (actual buffer size is %d)", off+f.size, f.size, off, len(data))
	}
	return pushValues(L, "unpack_from", f, []byte(data[off:off+f.size]))
}

// Calcsize is struct.calcsize(fmt) -> n: the size in bytes of fmt.
func Calcsize(L *lua.LState) int {
	f := checkFormat(L, "calcsize")
	L.Push(lua.LNumber(f.size))
	return 1
}

// IterUnpack is struct.iter_unpack(fmt, data) -> iterator: each call of the
// iterator returns the next record as a table {v1, ...} (Python's tuple),
// then nil; len(data) must be a multiple of struct.calcsize(fmt).
func IterUnpack(L *lua.LState) int {
	f := checkFormat(L, "iter_unpack")
	data := checkString(L, "iter_unpack", 2)
	if f.size == 0 {
		argError(L, "iter_unpack", 1, "cannot iteratively unpack with a struct of length 0")
	}
	if len(data)%f.size != 0 {
		argError(L, "iter_unpack", 2, "iterative unpacking requires a buffer of a multiple of %d bytes, got %d", f.size, len(data))
	}
	pos := 0
	L.Push(L.NewFunction(func(L *lua.LState) int {
		if pos >= len(data) {
			L.Push(lua.LNil)
			return 1
		}
		vals := f.unpack([]byte(data[pos : pos+f.size]))
		pos += f.size
		t := L.CreateTable(len(vals), 0)
		for _, v := range vals {
			t.Append(v)
		}
		L.Push(t)
		return 1
	}))
	return 1
}
