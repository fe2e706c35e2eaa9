package codec

import (
	"encoding/base64"
	"fmt"
	"sort"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
)

func argError(L *lua.LState, fn string, n int, msg string, args ...any) {
	L.RaiseError("codec.%s: bad argument #%d (%s)", fn, n, fmt.Sprintf(msg, args...))
}

func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

func checkString(L *lua.LState, fn string, n int) string {
	s, ok := L.Get(n).(lua.LString)
	if !ok {
		argError(L, fn, n, "string expected, got %s", typeName(L, n))
	}
	return string(s)
}

func optString(L *lua.LState, fn string, n int, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkString(L, fn, n)
}

func checkCharset(L *lua.LState, fn string, n int) *charset {
	name := optString(L, fn, n, "utf-8")
	cs, ok := lookup(name)
	if !ok {
		argError(L, fn, n, "unknown encoding '%s' (see codec.encodings())", name)
	}
	return cs
}

func checkMode(L *lua.LState, fn string, n int) mode {
	switch s := optString(L, fn, n, "strict"); s {
	case "strict":
		return strict
	case "replace":
		return replace
	case "ignore":
		return ignore
	default:
		argError(L, fn, n, "unknown errors mode '%s' (use strict, replace or ignore)", s)
	}
	return strict
}

// guard raises the memory guard's error when an output of up to factor
// times n input bytes would be over the limit (checked before converting).
func guard(L *lua.LState, fn string, n int, factor int64) {
	if err := memguard.Check("codec."+fn, memguard.Mul(int64(n), factor)); err != nil {
		L.RaiseError("%s", err.Error())
	}
}

// Encode is codec.encode(text, encoding[, errors]) -> bytes: UTF-8 text
// converted to encoding; errors is "strict" (default), "replace" ('?') or
// "ignore".
func Encode(L *lua.LState) int {
	text := checkString(L, "encode", 1)
	cs := checkCharset(L, "encode", 2)
	m := checkMode(L, "encode", 3)
	guard(L, "encode", len(text), 4)
	out, err := encode([]byte(text), cs, m)
	if err != nil {
		L.RaiseError("codec.encode: %v", err)
	}
	L.Push(lua.LString(out))
	return 1
}

// Decode is codec.decode(bytes, encoding[, errors]) -> text: bytes in
// encoding converted to UTF-8; errors is "strict" (default), "replace"
// (U+FFFD) or "ignore".
func Decode(L *lua.LState) int {
	data := checkString(L, "decode", 1)
	cs := checkCharset(L, "decode", 2)
	m := checkMode(L, "decode", 3)
	guard(L, "decode", len(data), 4)
	out, err := decode([]byte(data), cs, m)
	if err != nil {
		L.RaiseError("codec.decode: %v", err)
	}
	L.Push(lua.LString(out))
	return 1
}

// Encodings is codec.encodings() -> {name, ...}: the canonical names of the
// supported encodings, sorted.
func Encodings(L *lua.LState) int {
	t := L.NewTable()
	for _, n := range names() {
		t.Append(lua.LString(n))
	}
	L.Push(t)
	return 1
}

func b64encoder(fn string, enc *base64.Encoding) lua.LGFunction {
	return func(L *lua.LState) int {
		data := checkString(L, fn, 1)
		guard(L, fn, len(data), 2)
		L.Push(lua.LString(enc.EncodeToString([]byte(data))))
		return 1
	}
}

// B64encode is codec.b64encode(data) -> text: standard base64 with padding.
var B64encode = b64encoder("b64encode", base64.StdEncoding)

// URLSafeB64encode is codec.urlsafe_b64encode(data) -> text: base64 with
// '-' and '_' instead of '+' and '/', with padding (as Python).
var URLSafeB64encode = b64encoder("urlsafe_b64encode", base64.URLEncoding)

func b64decoder(fn string) lua.LGFunction {
	return func(L *lua.LState) int {
		b, err := b64decode(checkString(L, fn, 1))
		if err != nil {
			argError(L, fn, 1, "%v", err)
		}
		L.Push(lua.LString(b))
		return 1
	}
}

// B64decode is codec.b64decode(text) -> data: base64 in either alphabet,
// whitespace ignored, padding optional.
var B64decode = b64decoder("b64decode")

// URLSafeB64decode is codec.urlsafe_b64decode(text) -> data: the same as
// b64decode (both alphabets are accepted).
var URLSafeB64decode = b64decoder("urlsafe_b64decode")

// Quote is codec.quote(s[, safe]) -> string: percent-encoding for URL paths
// (Python's urllib.parse.quote; safe defaults to "/").
func Quote(L *lua.LState) int {
	s := checkString(L, "quote", 1)
	guard(L, "quote", len(s), 3)
	L.Push(lua.LString(quote(s, optString(L, "quote", 2, "/"), false)))
	return 1
}

// QuotePlus is codec.quote_plus(s[, safe]) -> string: percent-encoding for
// query strings, space as '+' (Python's urllib.parse.quote_plus; safe
// defaults to "").
func QuotePlus(L *lua.LState) int {
	s := checkString(L, "quote_plus", 1)
	guard(L, "quote_plus", len(s), 3)
	L.Push(lua.LString(quote(s, optString(L, "quote_plus", 2, ""), true)))
	return 1
}

// Unquote is codec.unquote(s) -> string: %XX escapes decoded.
func Unquote(L *lua.LState) int {
	L.Push(lua.LString(unquote(checkString(L, "unquote", 1), false)))
	return 1
}

// UnquotePlus is codec.unquote_plus(s) -> string: %XX escapes decoded and
// '+' as a space.
func UnquotePlus(L *lua.LState) int {
	L.Push(lua.LString(unquote(checkString(L, "unquote_plus", 1), true)))
	return 1
}

// URLEncode is codec.urlencode(t) -> string: "k1=v1&k2=v2" from a table of
// string or number keys and string, number or boolean values, keys sorted,
// both quoted with quote_plus.
func URLEncode(L *lua.LState) int {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		argError(L, "urlencode", 1, "table expected, got %s", typeName(L, 1))
	}
	type kv struct{ k, v string }
	var pairs []kv
	t.ForEach(func(k, v lua.LValue) {
		if k.Type() != lua.LTString && k.Type() != lua.LTNumber {
			argError(L, "urlencode", 1, "keys must be strings or numbers, got %s", k.Type())
		}
		switch v.Type() {
		case lua.LTString, lua.LTNumber, lua.LTBool:
		default:
			argError(L, "urlencode", 1, "value of '%s' must be a string, number or boolean, got %s", k.String(), v.Type())
		}
		pairs = append(pairs, kv{k.String(), v.String()})
	})
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].k < pairs[j].k })
	out := make([]byte, 0, 64)
	for i, p := range pairs {
		if i > 0 {
			out = append(out, '&')
		}
		out = append(out, quote(p.k, "", true)...)
		out = append(out, '=')
		out = append(out, quote(p.v, "", true)...)
	}
	L.Push(lua.LString(out))
	return 1
}
