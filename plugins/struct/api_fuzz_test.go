package structlib

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzStructAPI calls every struct function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzStructAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"struct"},
			Setup:   `it = struct.iter_unpack("<hB", "abcdef")`,
			Calls:   []string{"_G.it"},
			Words: []string{"<hIq", ">bBhHiIlLqQ", "@bhilqnNP", "=efd", "<e", "!4s3p", "256p", "99999999999999999999h",
				"<Q", ">q", "c", "?", "x", "0s", "3x2h", "@i0q", "<", "<f", ">d", "n", "N", "P", "s", "p", "10s"},
		}, data)
	})
}
