-- Seed 002 (002_3da697648a31ddfe.txt), Q8: the chat client ("客户端"): send one line, print
-- the answer. Defaults: 127.0.0.1:8088, prompt "请输入:>>", recv(1028) as in the original.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local link = socket.socket(serve.family(lesson.host), socket.SOCK_STREAM)
serve.check(link:connect(lesson.host, lesson.port))
print("开始发送数据")
local cmd = lesson.input("请输入:>>")
if cmd == nil then
  -- nsh: end of input sends nothing (the original dies with EOFError); shutting down our
  -- side lets the server's recv return b"" instead of waiting.
  cmd = ""
end
cmd = wire.strip(cmd)
if #cmd > 0 then
  serve.check(link:sendall(cmd))
else
  -- nsh fix: an empty line hung both programs: send(b"") sends nothing, so the server waits
  -- in recv while the client waits in recv. nsh ends its sending side instead.
  serve.check(link:shutdown(socket.SHUT_WR))
end
local data = serve.check(link:recv(1028))
-- nsh: prints the text; the original prints the bytes object (b'HELLO').
print(data)
link:close()
