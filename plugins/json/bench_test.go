package json

import (
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// benchDoc is about 100 KB of typical JSON: an array of small objects.
func benchDoc() string {
	var b strings.Builder
	b.WriteString("[")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id":` + strconv.Itoa(i) + `,"name":"file-` + strconv.Itoa(i) + `.txt","size":123456.5,"tags":["a","b","\u00e9"],"ok":true,"parent":null}`)
	}
	b.WriteString("]")
	return b.String()
}

func BenchmarkDecode(b *testing.B) {
	doc := benchDoc()
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	m := newModule(L)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := m.decode(L, doc, "round"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	doc := benchDoc()
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	m := newModule(L)
	v, err := m.decode(L, doc, "round")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		e := &encoder{m: m, opt: defaultOptions(), seen: map[*lua.LTable]bool{}}
		if err := e.value(v, 0); err != nil {
			b.Fatal(err)
		}
	}
}
