package socket

import (
	lua "github.com/yuin/gopher-lua"
)

// mime.core in Go: the eight filters of LuaSocket's C mime.c (b64, unb64,
// qp, unqp, wrp, qpwrp, eol, dot), ported line by line so their results,
// including the state they hand back between chunks, are the C module's
// (mimecore_test.go compares them with lua5.1's C mime on the same inputs).
// LuaSocket's mime.lua builds its ltn12 filters on these.

const (
	qpQuoted = iota
	qpCR
	qpIfLast
	qpPlain
)

const b64base = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const qpbase = "0123456789ABCDEF"

var qpclass, qpunbase, b64unbase [256]byte

func init() {
	for i := range qpclass {
		qpclass[i], qpunbase[i], b64unbase[i] = qpQuoted, 255, 255
	}
	for i := 33; i <= 60; i++ {
		qpclass[i] = qpPlain
	}
	for i := 62; i <= 126; i++ {
		qpclass[i] = qpPlain
	}
	qpclass['\t'], qpclass[' '], qpclass['\r'] = qpIfLast, qpIfLast, qpCR
	for i, c := range "0123456789ABCDEF" {
		qpunbase[c] = byte(i)
	}
	for i, c := range "abcdef" {
		qpunbase[c] = byte(10 + i)
	}
	for i := 0; i < 64; i++ {
		b64unbase[b64base[i]] = byte(i)
	}
	b64unbase['='] = 0
}

func b64encode(c byte, atom []byte, out []byte) ([]byte, []byte) {
	atom = append(atom, c)
	if len(atom) == 3 {
		v := uint32(atom[0])<<16 | uint32(atom[1])<<8 | uint32(atom[2])
		out = append(out, b64base[v>>18], b64base[v>>12&0x3f], b64base[v>>6&0x3f], b64base[v&0x3f])
		atom = atom[:0]
	}
	return atom, out
}

func b64pad(atom []byte, out []byte) []byte {
	switch len(atom) {
	case 1:
		v := uint32(atom[0]) << 4
		out = append(out, b64base[v>>6], b64base[v&0x3f], '=', '=')
	case 2:
		v := (uint32(atom[0])<<8 | uint32(atom[1])) << 2
		out = append(out, b64base[v>>12], b64base[v>>6&0x3f], b64base[v&0x3f], '=')
	}
	return out
}

func b64decode(c byte, atom []byte, out []byte) ([]byte, []byte) {
	if b64unbase[c] > 64 {
		return atom, out // ignore invalid characters
	}
	atom = append(atom, c)
	if len(atom) == 4 {
		v := uint32(b64unbase[atom[0]])<<18 | uint32(b64unbase[atom[1]])<<12 |
			uint32(b64unbase[atom[2]])<<6 | uint32(b64unbase[atom[3]])
		dec := []byte{byte(v >> 16), byte(v >> 8), byte(v)}
		valid := 3
		if atom[2] == '=' {
			valid = 1
		} else if atom[3] == '=' {
			valid = 2
		}
		out = append(out, dec[:valid]...)
		atom = atom[:0]
	}
	return atom, out
}

func qpquote(c byte, out []byte) []byte { return append(out, '=', qpbase[c>>4], qpbase[c&0x0f]) }

func qpencode(c byte, atom []byte, marker string, out []byte) ([]byte, []byte) {
	atom = append(atom, c)
	for len(atom) > 0 {
		switch qpclass[atom[0]] {
		case qpCR:
			if len(atom) < 2 {
				return atom, out
			}
			if atom[1] == '\n' {
				return atom[:0], append(out, marker...)
			}
			out = qpquote(atom[0], out)
		case qpIfLast:
			if len(atom) < 3 {
				return atom, out
			}
			if atom[1] == '\r' && atom[2] == '\n' {
				out = qpquote(atom[0], out)
				return atom[:0], append(out, marker...)
			}
			out = append(out, atom[0])
		case qpQuoted:
			out = qpquote(atom[0], out)
		default:
			out = append(out, atom[0])
		}
		atom = append(atom[:0], atom[1:]...)
	}
	return atom, out
}

func qppad(atom []byte, out []byte) []byte {
	for _, c := range atom {
		if qpclass[c] == qpPlain {
			out = append(out, c)
		} else {
			out = qpquote(c, out)
		}
	}
	if len(atom) > 0 {
		out = append(out, "=\r\n"...)
	}
	return out
}

func qpdecode(c byte, atom []byte, out []byte) ([]byte, []byte) {
	atom = append(atom, c)
	switch atom[0] {
	case '=':
		if len(atom) < 3 {
			return atom, out
		}
		if atom[1] == '\r' && atom[2] == '\n' {
			return atom[:0], out
		}
		h, l := qpunbase[atom[1]], qpunbase[atom[2]]
		if h > 15 || l > 15 {
			out = append(out, atom...)
		} else {
			out = append(out, h<<4+l)
		}
	case '\r':
		if len(atom) < 2 {
			return atom, out
		}
		if atom[1] == '\n' {
			out = append(out, atom[:2]...)
		}
	default:
		if atom[0] == '\t' || (atom[0] > 31 && atom[0] < 127) {
			out = append(out, atom[0])
		}
	}
	return atom[:0], out
}

// optBytes is luaL_optlstring: nil when absent, numbers as strings.
func optBytes(L *lua.LState, fn string, idx int) ([]byte, bool) {
	switch v := L.Get(idx).(type) {
	case *lua.LNilType:
		return nil, false
	case lua.LString:
		return []byte(v), true
	case lua.LNumber:
		return []byte(v.String()), true
	}
	argError(L, fn, idx, "string", idx)
	return nil, false
}

// atomFilter is the shape b64, unb64, qp and unqp share: process A, then B
// if given (returning out, leftover atom), else finish (pad) and return
// out or nil, nil.
func atomFilter(L *lua.LState, fn string, step func(byte, []byte, []byte) ([]byte, []byte), pad func([]byte, []byte) []byte) int {
	a, ok := optBytes(L, fn, 1)
	if !ok {
		L.Push(lua.LNil)
		L.Push(lua.LNil)
		return 2
	}
	atom := make([]byte, 0, 4)
	out := make([]byte, 0, len(a)*4/3+8)
	for _, c := range a {
		atom, out = step(c, atom, out)
	}
	b, ok := optBytes(L, fn, 2)
	if !ok {
		if pad != nil {
			out = pad(atom, out)
		}
		if len(out) == 0 {
			L.Push(lua.LNil)
		} else {
			L.Push(lua.LString(out))
		}
		L.Push(lua.LNil)
		return 2
	}
	for _, c := range b {
		atom, out = step(c, atom, out)
	}
	L.Push(lua.LString(out))
	L.Push(lua.LString(atom))
	return 2
}

// wrapFilter is wrp and qpwrp: left, [input], [length] -> out, left.
func wrapFilter(L *lua.LState, fn string, qp bool) int {
	left := int(L.CheckNumber(1))
	in, ok := optBytes(L, fn, 2)
	length := int(L.OptNumber(3, 76))
	if !ok {
		if left < length {
			if qp {
				L.Push(lua.LString("=\r\n"))
			} else {
				L.Push(lua.LString("\r\n"))
			}
		} else {
			L.Push(lua.LNil)
		}
		L.Push(lua.LNumber(length))
		return 2
	}
	out := make([]byte, 0, len(in)+len(in)/length*3+8)
	for _, c := range in {
		switch {
		case c == '\r':
		case c == '\n':
			out, left = append(out, '\r', '\n'), length
		case qp && c == '=':
			if left <= 3 {
				out, left = append(out, "=\r\n"...), length
			}
			out, left = append(out, c), left-1
		default:
			lim := 0
			if qp {
				lim = 1
			}
			if left <= lim {
				if qp {
					out = append(out, '=')
				}
				out, left = append(out, '\r', '\n'), length
			}
			out, left = append(out, c), left-1
		}
	}
	L.Push(lua.LString(out))
	L.Push(lua.LNumber(left))
	return 2
}

func mimeEOL(L *lua.LState) int {
	ctx := L.CheckInt(1)
	in, ok := optBytes(L, "eol", 2)
	marker := L.OptString(3, "\r\n")
	if !ok {
		L.Push(lua.LNil)
		L.Push(lua.LNumber(0))
		return 2
	}
	cand := func(c int) bool { return c == '\r' || c == '\n' }
	out := make([]byte, 0, len(in)+8)
	for _, b := range in {
		c := int(int8(b)) // C's char is signed
		switch {
		case cand(c) && cand(ctx):
			if c == ctx {
				out = append(out, marker...)
			}
			ctx = 0
		case cand(c):
			out, ctx = append(out, marker...), c
		default:
			out, ctx = append(out, b), 0
		}
	}
	L.Push(lua.LString(out))
	L.Push(lua.LNumber(ctx))
	return 2
}

func mimeDot(L *lua.LState) int {
	state := int(L.CheckNumber(1))
	in, ok := optBytes(L, "dot", 2)
	if !ok {
		L.Push(lua.LNil)
		L.Push(lua.LNumber(2))
		return 2
	}
	out := make([]byte, 0, len(in)+8)
	for _, c := range in {
		out = append(out, c)
		switch c {
		case '\r':
			state = 1
		case '\n':
			if state == 1 {
				state = 2
			} else {
				state = 0
			}
		case '.':
			if state == 2 {
				out = append(out, '.')
			}
			state = 0
		default:
			state = 0
		}
	}
	L.Push(lua.LString(out))
	L.Push(lua.LNumber(state))
	return 2
}

// mimeCore builds the mime.core table.
func mimeCore(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("_VERSION", lua.LString("MIME 1.0.3 (nsh)"))
	fns := map[string]lua.LGFunction{
		"b64":   func(L *lua.LState) int { return atomFilter(L, "b64", b64encode, b64pad) },
		"unb64": func(L *lua.LState) int { return atomFilter(L, "unb64", b64decode, nil) },
		"qp": func(L *lua.LState) int {
			marker := L.OptString(3, "\r\n")
			return atomFilter(L, "qp", func(c byte, a, o []byte) ([]byte, []byte) { return qpencode(c, a, marker, o) }, qppad)
		},
		"unqp":  func(L *lua.LState) int { return atomFilter(L, "unqp", qpdecode, nil) },
		"wrp":   func(L *lua.LState) int { return wrapFilter(L, "wrp", false) },
		"qpwrp": func(L *lua.LState) int { return wrapFilter(L, "qpwrp", true) },
		"eol":   mimeEOL,
		"dot":   mimeDot,
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	return t
}
