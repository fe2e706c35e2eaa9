-- Seed 002 (002_3da697648a31ddfe.txt), Q9: the remote command client ("客户端"): send a
-- command, unpack the 4-byte 'i' header, read that many bytes, print them decoded.
-- Defaults: 127.0.0.1:9999, prompt "请输入命令:>>", recv(1024). The original decodes as GBK
-- (Windows' code page); nsh decodes with --encoding, UTF-8 by default.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")
local struct = require("struct")
local codec = require("codec")

local encoding = lesson.flags.encoding or "utf-8"
if type(encoding) ~= "string" or not pcall(codec.decode, "", encoding) then
  error("--encoding: unknown encoding " .. tostring(encoding) .. " (try utf-8, gbk, gb18030, big5, latin-1)", 0)
end
-- nsh fix: the answer's length is bounded (the original reads any length the server sends,
-- into memory)
local MAX = tonumber(lesson.flags["max-size"] or 67108864)
if MAX == nil or MAX < 0 or MAX % 1 ~= 0 then
  error("--max-size needs a whole number of bytes", 0)
end
local sk = socket.socket(serve.family(lesson.host), socket.SOCK_STREAM)
serve.check(sk:connect(lesson.host, lesson.port))
while true do
  local line = lesson.input("请输入命令:>>")
  if line == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  local cmd = wire.strip(line)
  if #cmd > 0 then
    serve.check(sk:sendall(cmd))
    -- nsh fix: read exactly the 4 header bytes; the original's recv(1024) may also take the
    -- output that follows them (sticky packets), and struct.unpack('i') then fails.
    local header = serve.check(sk:recvexactly(4))
    local total_size = struct.unpack("i", header)
    if total_size < 0 then
      error("bad header: negative length " .. total_size, 0)
    end
    if total_size > MAX then
      error(string.format("bad header: %d bytes is over --max-size %d", total_size, MAX), 0)
    end
    local chunks, recv_size = {}, 0
    while recv_size < total_size do
      -- nsh fix: never ask for more than is left, so bytes of a later answer stay unread
      local recv_data = serve.check(sk:recv(math.min(1024, total_size - recv_size)))
      if recv_data == "" then
        error(string.format("the server closed the connection after %d of %d bytes", recv_size, total_size), 0)
      end
      recv_size = recv_size + #recv_data
      chunks[#chunks + 1] = recv_data
    end
    -- bytes that are not valid in the encoding print as U+FFFD (the original raised)
    print("返回的消息:" .. codec.decode(table.concat(chunks), encoding, "replace"))
  end
end
sk:close()
