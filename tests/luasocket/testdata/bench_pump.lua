-- bench_pump.lua: pumps the file BENCH_FILE with ltn12 into a socket to the
-- discard peer on DISCARD_PORT (socket.sink "close-when-done"); prints the
-- seconds.
local socket = require("socket")
local ltn12 = require("ltn12")
local c = assert(socket.connect("127.0.0.1", tonumber(os.getenv("DISCARD_PORT"))))
local f = assert(io.open(os.getenv("BENCH_FILE"), "rb"))
local t0 = socket.gettime()
assert(ltn12.pump.all(ltn12.source.file(f), socket.sink("close-when-done", c)))
print(socket.gettime() - t0)
