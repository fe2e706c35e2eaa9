-- bench_http.lua: BENCH_N GETs of a 1 MiB body from the HTTP peer on
-- HTTP_PORT with socket.http into an ltn12 table sink; prints the seconds.
local socket = require("socket")
local http = require("socket.http")
local ltn12 = require("ltn12")
local u = "http://127.0.0.1:" .. os.getenv("HTTP_PORT") .. "/body?n=1048576"
local n = tonumber(os.getenv("BENCH_N") or "20")
local t0 = socket.gettime()
for _ = 1, n do
  local t = {}
  local ok, code = http.request{url = u, sink = ltn12.sink.table(t)}
  assert(ok and code == 200, code)
  assert(#table.concat(t) == 1048576)
end
print(socket.gettime() - t0)
