-- Downloads one file from the ftp lesson's server (nsh lesson run ftp server) through the
-- lesson's own protocol code, taking the fast path: the file's bytes go from the socket to
-- OUT with s:recvfile, never through Lua. Used by the benchmark suite to time the transfer
-- apart from the lesson client's progress bar and md5 check.
-- usage: nsh scripts/bench/ftp_get.lua ROOT PORT NAME OUT   (ROOT: the nsh source tree)
-- prints: RESULT bytes=N seconds=S mbps=M
local root, port, name, out = arg[1], tonumber(arg[2]), arg[3], arg[4]
assert(root and port and name and out, "usage: ftp_get.lua ROOT PORT NAME OUT")
package.path = root .. "/scripts/?.lua;" .. package.path
local proto = require("lessons.ftp.proto")

local sock = assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
assert(sock:connect("127.0.0.1", port))
local t0 = time.monotonic()
assert(sock:sendall("get " .. name))
local header, err = proto.read_header(function(n) return sock:recvexactly(n) end)
if not header then
  error("get " .. name .. ": " .. tostring(err or "no such file"), 0)
end
local got, rerr, story = proto.recv_to_file(sock, out, header.file_size)
local dt = time.monotonic() - t0
sock:close()
if rerr then
  error(string.format("get %s: %s after %d bytes", name, story or rerr, got), 0)
end
print(string.format("RESULT bytes=%d seconds=%.3f mbps=%.1f", got, dt, got / dt / 1e6))
