package bit

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzBitAPI calls every bit function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzBitAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"bit"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"0x7fffffff", "1e10", "-1"},
		}, data)
	})
}
