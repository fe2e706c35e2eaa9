-- dns.lua prints LuaSocket's socket.dns answers for loopback names and
-- ports (from /etc/hosts and /etc/services only), for the Go test to
-- compare nsh with C.
local socket = require("socket")
local function show(label, names, service)
  local t = {}
  if type(names) == "table" then
    for i, v in ipairs(names) do t[#t + 1] = i .. "=" .. v end
  else
    t[1] = tostring(names)
  end
  print(label, table.concat(t, ","), tostring(service))
end
show("127.0.0.1:80", socket.dns.getnameinfo("127.0.0.1", 80))
show("localhost:http", socket.dns.getnameinfo("localhost", "http"))
show("127.0.0.1", socket.dns.getnameinfo("127.0.0.1"))
show("nil:443", socket.dns.getnameinfo(nil, 443))
show("::1:22", socket.dns.getnameinfo("::1", 22))
show("127.0.0.1:54321", socket.dns.getnameinfo("127.0.0.1", 54321))
print("both nil raises", (pcall(socket.dns.getnameinfo)))
print("toip", (socket.dns.toip("127.0.0.1")))
print("tohostname", (socket.dns.tohostname("127.0.0.1")))
for i, a in ipairs(socket.dns.getaddrinfo("127.0.0.1")) do print("getaddrinfo", i, a.family, a.addr) end
for i = 1, 3 do print("#", i) end
