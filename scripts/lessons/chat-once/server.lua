-- Seed 002 (002_3da697648a31ddfe.txt), Q8: the chat server ("服务端"): one connection, one
-- message, printed and answered upper-cased; then it closes and exits, as the original does
-- (a one-shot program by design, so it serves a single client). Defaults: 127.0.0.1:8088,
-- listen(5), recv(1024).
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local link = serve.tcp(5) -- socket, bind, listen(5), then the ready line "listening on ..."
print("等待数据连接:。。》》")
-- 阻塞直到有连接为止,有了一个新连接进来后,就会为这个请求生成一个连接对象
local conn, addr = serve.check(link:accept())
local client_data = serve.check(conn:recv(1024))
print("这是收到的消息: " .. client_data)
-- nsh fix: upper-case the ASCII letters only, byte for byte, as Python's bytes.upper() does
-- (gopher-lua's string.upper also changes non-ASCII letters and would re-encode the bytes).
serve.check(conn:sendall(wire.upper(client_data)))
conn:close()
link:close()
