package structlib

import (
	"strings"
	"testing"

	"nsh/internal/memguard"
)

// TestMemoryGuard: a format whose size is over the memory limit raises the
// guard's error naming the function, before anything is allocated; one
// under it still packs.
func TestMemoryGuard(t *testing.T) {
	lim, how := memguard.Limit(), memguard.Source()
	memguard.Set(1<<20, "test limit")
	t.Cleanup(func() { memguard.Set(lim, how) })
	L, _ := newState(t)
	for _, code := range []string{
		`return struct.pack("2000000x")`,
		`return struct.pack("2000000s", "x")`,
		`return struct.calcsize("@2000000s")`,
		`return struct.unpack("2000000s", "")`,
	} {
		_, err := luaString(t, L, code)
		if err == nil || !strings.Contains(err.Error(), "exceeds the memory limit (1 MB; test limit)") || !strings.Contains(err.Error(), "struct.") {
			t.Errorf("%s: %v, want the memory guard's error", code, err)
		}
	}
	if got, err := luaString(t, L, `return #struct.pack("1000000x")`); err != nil || got != "1000000" {
		t.Fatalf("under the limit: %q, %v", got, err)
	}
}
