package packet

import (
	"strings"
	"testing"

	"github.com/google/gopacket/layers"
	lua "github.com/yuin/gopher-lua"
)

// FuzzDecode decodes arbitrary bytes from every first layer: it must never
// panic (gopacket's decoders are run on hostile input), and a success must
// list at least one layer and a payload no longer than the input.
func FuzzDecode(f *testing.F) {
	L := lua.NewState()
	defer L.Close()
	seeds := []string{
		"\x45\x00\x00\x21\x00\x00\x00\x00\x40\x11\x7c\xca\x7f\x00\x00\x01\x7f\x00\x00\x01\x13\x88\x27\x0f\x00\x0d\xfe\x20hello",
		"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01",
		strings.Repeat("\x00", 12) + "\x86\xdd" + strings.Repeat("\x60", 40),
		"\x08\x00\xf7\xff\x00\x00\x00\x00",
	}
	for _, s := range seeds {
		for i := range firstLayers {
			f.Add([]byte(s), i)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, first string) {
		lt, ok := firstLayers[first]
		if !ok {
			lt = layers.LayerTypeEthernet
		}
		tb, err := decode(L, data, lt)
		if err != nil {
			return
		}
		if names, ok := tb.RawGetString("layers").(*lua.LTable); !ok || names.Len() == 0 {
			t.Fatalf("decoded %q without a layer", data)
		}
		if p, _ := tb.RawGetString("payload").(lua.LString); len(p) > len(data) {
			t.Fatalf("payload longer than the input")
		}
	})
}
