package hex

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzHexAPI calls every hex function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzHexAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"hex"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"width", "group", "offset", "color", "de ad be ef", "0x41", "zz", ":", " ", "414243"},
		}, data)
	})
}
