-- Lua-level tests of the queue plugin in one thread (no tasks here: the
-- shell's tests run queues between tasks); every global Test* function
-- runs as a Go subtest.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

local function eq(got, want)
  assert(got == want, "got " .. tostring(got) .. ", want " .. tostring(want))
end

function TestFIFO()
  local q = queue.new()
  for i = 1, 100 do assert(q:push(i)) end
  eq(#q, 100)
  eq(q:len(), 100)
  for i = 1, 100 do eq(q:pop(), i) end
  eq(#q, 0)
end

function TestBoundedTimeouts()
  local q = queue.new(2)
  eq(q.cap, 2)
  assert(q:push("a"))
  assert(q:push("b", 0))
  local ok, err = q:push("c", 0.01)
  eq(ok, nil); eq(err, "timeout")
  ok, err = q:push("c", 0)
  eq(ok, nil); eq(err, "timeout")
  eq(q:pop(), "a"); eq(q:pop(), "b")
  local v, err2 = q:pop(0.01)
  eq(v, nil); eq(err2, "timeout")
  eq(select(2, q:pop(0)), "timeout")
end

function TestCloseDrains()
  local q = queue.new()
  q:push(1); q:push(false); q:close(); q:close()
  eq(q.closed, true)
  local ok, err = q:push(3)
  eq(ok, nil); eq(err, "closed")
  eq(q:pop(), 1)
  eq(q:pop(), false) -- false is a value, not an end
  local v, err2 = q:pop()
  eq(v, nil); eq(err2, "closed")
  eq(tostring(q), "<queue 0 closed>")
end

function TestSharedByReference()
  local q = queue.new(1)
  local t = {n = 1}
  q:push(t)
  local got = q:pop()
  assert(rawequal(got, t), "a table comes out as the same table")
  got.n = 2
  eq(t.n, 2)
end

function TestMisuse()
  raises("queue.new: bad argument #1 (capacity must be a whole number", queue.new, 0)
  raises("queue.new: bad argument #1 (capacity must be a whole number", queue.new, 1.5)
  raises("queue.new: bad argument #1 (capacity expected, got string)", queue.new, "x")
  local q = queue.new()
  raises("queue:push: bad argument #1 (a value expected, got nil", q.push, q, nil)
  raises("queue:pop: bad argument #1 (timeout must be seconds >= 0", q.pop, q, -1)
  raises("queue:push: bad argument #2 (timeout in seconds expected, got string)", q.push, q, 1, "x")
  raises("queue:pop: bad self (queue expected, got number", q.pop, 5)
  eq(tostring(queue.new(3)), "<queue 0/3 open>")
  eq(queue.new().cap, nil)
end

function TestChannelLibraryIsGone()
  eq(channel, nil)
  assert(not pcall(require, "channel"), "require('channel') must fail")
end
