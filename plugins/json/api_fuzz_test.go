package json

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzJSONAPI calls every json function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzJSONAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"json"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{`{"a": [1, 2.5, -3e10, true, null]}`, `[]`, `"\ud800"`, `1e400`, `[[[[[[[[]]]]]]]]`, `9007199254740993`, "indent", "sort_keys", "ensure_ascii", "separators", "python", "bigint", "round", "string", "error"},
		}, data)
	})
}
