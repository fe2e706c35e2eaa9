-- Lua-level tests of the progress plugin; each Test* function is a Go
-- subtest. The clock steps half a second per reading; output is not a terminal.

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %q, want %q", what, tostring(got), tostring(want)), 2)
  end
end

function TestChainingAndCount()
  local b = progress.new(100, "t")
  eq(b:add(10):add(20):set(50), b, "methods return the bar")
  eq(b:done(), 50, "done returns the count")
  eq(b:done(), 50, "done twice")
end

function TestToString()
  local b = progress.new(nil, "dl")
  b:add(2500)
  eq(tostring(b), 'progress bar "dl" at 2.5 kB', "tostring")
end

function TestZeroTotal()
  local b = progress.new(0, "empty")
  eq(b:done(), 0, "empty transfer")
end

function TestRequire()
  eq(require("progress"), progress, "require returns the global module")
end
