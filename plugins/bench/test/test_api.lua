-- Lua-level tests of the bench module. The Go test sets ECHO_PORT (an
-- upper-casing TCP echo server), UDP_PORT (a UDP echo server) and
-- CLOSED_PORT (nothing listening).

function TestRRResult()
  local r = bench.rr{port = ECHO_PORT, conns = 2, size = 32, requests = 100}
  assert(r.mode == "rr", r.mode)
  assert(r.requests == 100, r.requests)
  assert(r.errors == 0, r.errors)
  assert(r.conns == 2 and r.size == 32)
  assert(r.p50_us > 0 and r.p99_us >= r.p50_us)
  assert(bench.line(r):match("^RESULT mode=rr .*requests=100"), bench.line(r))
end

function TestConnsResult()
  local r = bench.conns{port = ECHO_PORT, conns = 50}
  assert(r.opened == 50 and r.answered == 50 and r.failed == 0, bench.line(r))
end

function TestUDPResult()
  local r = bench.udp{port = UDP_PORT, requests = 50, timeout = 1}
  assert(r.sent == 50 and r.requests + r.lost == 50, bench.line(r))
end

function TestRefused()
  local r, err, story = bench.rr{port = CLOSED_PORT, requests = 1}
  assert(r == nil and err == "connection refused", tostring(err))
  assert(story:match("127.0.0.1:" .. CLOSED_PORT), story)
end

local function raises(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "no error raised")
  assert(tostring(err):match(pattern), tostring(err))
end

function TestMisuseRaises()
  raises("refusing target 10.0.0.1", bench.rr, {host = "10.0.0.1", port = 80})
  raises("unknown option conn", bench.rr, {port = 1, conn = 5})
  raises("port must be a number", bench.rr, {port = "80"})
  raises("port is required", bench.conns, {conns = 5})
  raises("host must be a string", bench.udp, {port = 1, host = 127})
  raises("must not be negative", bench.rr, {port = 1, duration = -1})
  raises("table expected", bench.bulk, "127.0.0.1")
  raises("port 70000 out of range", bench.rr, {port = 70000})
  raises("dir", bench.bulk, {port = 1, dir = "sideways"})
end
