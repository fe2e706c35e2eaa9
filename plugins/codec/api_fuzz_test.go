package codec

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzCodecAPI calls every codec function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzCodecAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"codec"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"utf-8", "gbk", "gb18030", "big5", "latin-1", "ascii", "utf-16", "utf-16-le", "cp1252", "strict", "replace", "ignore", "%41%zz", "a+b", "/", "aGVsbG8=", "==="},
		}, data)
	})
}
