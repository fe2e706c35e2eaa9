package shell

import (
	"os/exec"
	"testing"
)

// multiAssignLua exercises Lua 5.1's rule that a multiple assignment
// evaluates every right-hand expression before assigning any: gopher-lua
// 1.1.2 compiled each value straight into its local's register, so
// a, b = b, a gave 2, 2 (yuin/gopher-lua#440), and LuaSocket's own
// choose() (name, opt1, opt2 = "default", name, opt1) lost its arguments.
const multiAssignLua = `local a, b = 1, 2
a, b = b, a
print(a, b)
local function f(name, opt1, opt2)
  if type(name) ~= "string" then name, opt1, opt2 = "default", name, opt1 end
  return name, opt1, opt2
end
print(f(27, 5))
local x, y = 0, 0
x, y = x + 1, x + y
print(x, y)
local t, i = {}, 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local function g() return 7, 8, 9 end
local p, q, r = 1, 2, 3
p, q, r = 1, g()
print(p, q, r)
G = 5
p, G = G, p
print(p, G)
`

const multiAssignWant = "2\t1\ndefault\t27\t5\n1\t0\n2\t20\tnil\n1\t7\t8\n5\t1\n"

// TestMultipleAssignmentEvaluatesFirst checks nsh against the rule, and
// against lua5.1 when it is installed.
func TestMultipleAssignmentEvaluatesFirst(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	if st := s.RunSource("assign.lua", multiAssignLua, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if out.String() != multiAssignWant {
		t.Fatalf("got %q, want %q", out, multiAssignWant)
	}
	if _, err := exec.LookPath("lua5.1"); err != nil {
		t.Log("lua5.1 missing: compared with the expected text only")
		return
	}
	ref, err := exec.Command("lua5.1", "-e", multiAssignLua).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(ref) != multiAssignWant {
		t.Fatalf("lua5.1 prints %q; the expected text is wrong", ref)
	}
}
