package json

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// FuzzJSONDecode decodes arbitrary text: it must never panic or hang, and
// whatever decodes and encodes must decode and encode to the same text again.
func FuzzJSONDecode(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, 2.5, -3e10, true, false, null], "b": {"c": "\u00e9\ud83d\ude00\n"}}`,
		`[]`, `{}`, `"\ud800"`, `"\udc00\ud800x"`, `1e400`, `-0`, `[1,]`, `{"a" 1}`, `"abc`,
		`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`, "\"\x01\"", `"\u12g4"`, `9007199254740993`,
		`  null  `, `{"1": 1, "2": 2}`, "\xff", `"\xff"`, `[-12345678901234567890, 9007199254740992]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		L := lua.NewState(lua.Options{SkipOpenLibs: true})
		defer L.Close()
		m := newModule(L)
		v, err := m.decode(L, text, "round")
		if _, serr := m.decode(L, text, "string"); (serr == nil) != (err == nil) {
			t.Fatalf("decode(%q): %v with bigint=round but %v with bigint=string", text, err, serr)
		}
		if err != nil {
			return
		}
		e := &encoder{m: m, opt: defaultOptions(), seen: map[*lua.LTable]bool{}}
		if err := e.value(v, 0); err != nil {
			return // inf from 1e400, or a string that is not UTF-8
		}
		first := string(e.buf)
		v2, err := m.decode(L, first, "round")
		if err != nil {
			t.Fatalf("decode(encode(decode(%q))) = %v; encode gave %q", text, err, first)
		}
		e2 := &encoder{m: m, opt: defaultOptions(), seen: map[*lua.LTable]bool{}}
		if err := e2.value(v2, 0); err != nil || string(e2.buf) != first {
			t.Fatalf("%q: encoded %q, then %q (%v)", text, first, e2.buf, err)
		}
	})
}
