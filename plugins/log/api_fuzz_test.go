package log_test

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzLogAPI calls every log function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzLogAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"log"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"%s %s", "%d", "%5.2f|%q", "%x", "%c", "%%", "%-99s", "%.99f", "debug", "info", "warn", "error", "off", "stdout", "stderr"},
		}, data)
	})
}
