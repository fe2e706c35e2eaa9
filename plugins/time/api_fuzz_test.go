package time_test

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzTimeAPI calls every time function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzTimeAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"time"},
			Setup:   ``,
			Calls:   []string{},
			Exclude: []string{},
			Words:   []string{"%Y-%m-%d %H:%M:%S", "%c", "%z %Z", "%a %b %e", "%j %U %W %V %G", "%f", "%", "%Q", "2024-02-29 12:00:00", "1999-12-31", "%Y%Y", "%s", "%p %I"},
		}, data)
	})
}
