-- options.lua sets and reads LuaSocket's options (the ones C LuaSocket 3.0
-- knows) and prints each answer, so the Go test can compare nsh with C.
local socket = require("socket")
local function show(...)
  local t = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then v = "{on=" .. tostring(v.on) .. ",timeout=" .. tostring(v.timeout) .. "}" end
    t[#t + 1] = tostring(v)
  end
  io.stdout:write(table.concat(t, " "), "\n")
end
local c = socket.tcp4()
for _, o in ipairs{"keepalive", "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl", "tcp-nodelay", "reuseaddr",
    "reuseport", "linger", "recv-buffer-size"} do
  show(o, c:getoption(o))
end
show(c:setoption("keepalive", true), c:getoption("keepalive"))
show(c:setoption("tcp-keepidle", 30), c:getoption("tcp-keepidle"))
show(c:setoption("tcp-keepcnt", 4), c:getoption("tcp-keepcnt"))
show(c:setoption("tcp-keepintvl", 7), c:getoption("tcp-keepintvl"))
show(c:setoption("recv-buffer-size", 65536), c:getoption("recv-buffer-size"))
show(c:setoption("send-buffer-size", 65536), c:getoption("send-buffer-size"))
show(c:setoption("linger", {on = true, timeout = 3}), c:getoption("linger"))
show(c:setoption("tcp-nodelay", true), c:getoption("tcp-nodelay"))
show("error", c:getoption("error"))
local u = socket.udp4()
show(u:setoption("broadcast", true), u:getoption("broadcast"))
show(u:setoption("ip-multicast-loop", false), u:getoption("ip-multicast-loop"))
show(u:setoption("ip-multicast-ttl", 3)) -- C 3.0 cannot read it back
show(u:setoption("ip-multicast-if", "127.0.0.1"), u:getoption("ip-multicast-if"))
show(u:setoption("ip-add-membership", {multiaddr = "239.1.2.3", interface = "127.0.0.1"}))
show(u:setoption("ip-drop-membership", {multiaddr = "239.1.2.3", interface = "127.0.0.1"}))
local u6 = socket.udp6()
show(u6:setoption("ipv6-v6only", true), u6:getoption("ipv6-v6only"))
show(u6:setoption("ipv6-unicast-hops", 9), u6:getoption("ipv6-unicast-hops"))
show(u6:setoption("ipv6-multicast-loop", false), u6:getoption("ipv6-multicast-loop"))
show(u6:setoption("ipv6-add-membership", {multiaddr = "ff02::1:3", interface = 1}))
show(u6:setoption("ipv6-drop-membership", {multiaddr = "ff02::1:3", interface = 1}))
-- the pending error of a refused non-blocking connect, then none
local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
srv:close()
local t = socket.tcp()
t:settimeout(0)
t:connect("127.0.0.1", port)
socket.select(nil, {t}, 2)
show("refused", t:getoption("error"), t:getoption("error"))
