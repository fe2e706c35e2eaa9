package repl

import (
	"testing"

	"nsh/internal/nshtest"
)

// TestMain removes the nsh binary the tests built when they end.
func TestMain(m *testing.M) { nshtest.Main(m) }
