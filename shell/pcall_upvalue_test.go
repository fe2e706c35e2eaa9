package shell

import "testing"

// TestPcallKeepsUpvaluesShared: gopher-lua 1.1.2 closes every open upvalue
// of the thread when pcall catches an error (yuin/gopher-lua#448), so a
// closure and its enclosing chunk stop sharing a local: a counter bumped by
// tasks or callbacks never changes for the main chunk again.
func TestPcallKeepsUpvaluesShared(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `local calls = 0
local function bump() calls = calls + 1 end
local ok = pcall(error, "caught")
bump()
pcall(function() pcall(error, "inner"); bump(); error("outer") end)
bump()
local t = spawn(function() bump() end); t:join()
print(calls)
`
	if st := s.RunSource("up.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if out.String() != "4\n" {
		t.Fatalf("calls = %q, want 4 (the main chunk no longer sees the closure's writes)", out)
	}
}
