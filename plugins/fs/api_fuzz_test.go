package fs_test

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzFSAPI calls every fs function with random arguments (see
// plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzFSAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"fs"},
			Setup:   `jail = fs.jail(DIR); hasher = fs.hasher("md5"); writer = jail:atomic("w"); fs.mkdir(fs.join(DIR, "a")); fs.write(fs.join(DIR, "a", "f"), "data")`,
			Calls:   []string{"jail:write", "jail:append", "jail:atomic", "jail:stat", "jail:list", "jail:exists", "jail:remove", "jail:mkdir"},
			Exclude: []string{"fs.read", "fs.write", "fs.append", "fs.stat", "fs.list", "fs.mkdir", "fs.remove", "fs.exists", "fs.atomic", "fs.jail", "fs.md5", "fs.sha256"},
			Words:   []string{"a", "a/f", "a/b/c", "..", "../x", "/", "/etc/passwd", ".", "w", "recursive", "parents", "md5", "sha1", "sha256", "sha512"},
		}, data)
	})
}
