package progress_test

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzProgressAPI calls every progress function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzProgressAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"progress"},
			Setup:   `bar = progress.new(100, "fuzz", {out = "stdout"})`,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"stdout", "stderr", "out", "label"},
		}, data)
	})
}
