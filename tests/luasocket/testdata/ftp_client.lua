-- ftp_client.lua: LuaSocket's socket.ftp against the pyftpdlib peer on
-- FTP_PORT: get and put in the URL and generic forms (ASCII and binary,
-- a 1 MiB file, an ltn12 file source), anonymous get, ftp.command, the
-- low-level interface in passive (PASV) and active (PORT) mode, and the
-- errors (no such file, a wrong password, a read-only user, a bad type, a
-- wrong scheme, no server). The same under C LuaSocket and nsh; the peer
-- prints the commands and files it received.
local socket = require("socket")
local ftp = require("socket.ftp")
local ltn12 = require("ltn12")
local port = tonumber(os.getenv("FTP_PORT"))
local base = "ftp://alice:secret@127.0.0.1:" .. port

local function show(name, ...)
  local t = {name}
  for i = 1, select("#", ...) do t[#t + 1] = tostring((select(i, ...))) end
  print(table.concat(t, "\t"))
end

-- big.bin as the peer wrote it: byte i is i % 251
local chunk = {}
for i = 0, 250 do chunk[#chunk + 1] = string.char(i) end
chunk = table.concat(chunk)
local big = string.sub(string.rep(chunk, math.floor(1048576 / 251) + 1), 1, 1048576)

-- get, URL form (ASCII by default, binary with ;type=i)
local body, err = ftp.get(base .. "/hello.txt")
show("get url", body and #body, body, err)
body, err = ftp.get(base .. "/big.bin;type=i")
show("get url binary", body and #body, body == big, err)

-- get, generic form, into a table sink
local t = {}
show("get generic", ftp.get{host = "127.0.0.1", port = port, user = "alice", password = "secret",
  path = "big.bin", type = "i", sink = ltn12.sink.table(t)})
show("get generic body", #table.concat(t), table.concat(t) == big)

-- anonymous (ftp.USER, ftp.PASSWORD)
body, err = ftp.get("ftp://127.0.0.1:" .. port .. "/hello.txt")
show("get anonymous", body, err)

-- put, URL form and generic form from a file
show("put url", ftp.put(base .. "/up1.txt;type=a", "put by URL\r\nline two\r\n"))
local path = os.tmpname()
local f = assert(io.open(path, "wb"))
f:write(string.rep("0123456789abcdef", 20000))
f:close()
show("put generic", ftp.put{host = "127.0.0.1", port = port, user = "alice", password = "secret",
  path = "up2.bin", type = "i", source = ltn12.source.file(io.open(path, "rb"))})
os.remove(path)
body, err = ftp.get(base .. "/up2.bin;type=i")
show("put generic back", body and #body, body == string.rep("0123456789abcdef", 20000), err)

-- ftp.command: make a folder, remove a file
show("command mkd", ftp.command{url = base, command = "mkd", argument = "newdir", check = "257"})
show("command dele", ftp.command{url = base, command = {"cwd", "dele"}, argument = {"/", "up1.txt"}, check = {"250", "250"}})

-- the low-level interface: PASV, then PORT (active), then a listing
local c = ftp.open("127.0.0.1", port)
show("greet", c:greet())
show("login", c:login("alice", "secret"))
show("type", c:type("i"))
local addr, pport = c:pasv()
show("pasv", addr, type(pport))
t = {}
show("receive pasv", c:receive{path = "hello.txt", sink = ltn12.sink.table(t)})
show("pasv body", table.concat(t))
show("port", c:port())
t = {}
show("receive port", c:receive{path = "big.bin", sink = ltn12.sink.table(t)})
show("port body", #table.concat(t), table.concat(t) == big)
c:pasv()
show("send pasv", c:send{path = "up3.txt", source = ltn12.source.string("sent low-level\n")})
c:pasv()
t = {}
c:receive{command = "nlst", argument = ".", sink = ltn12.sink.table(t)}
local names = {}
for name in string.gmatch(table.concat(t), "[^\r\n]+") do names[#names + 1] = name end
table.sort(names)
show("nlst", table.concat(names, " "))
show("quit", c:quit())
show("close", c:close())

-- errors
show("no such file", ftp.get(base .. "/missing.txt"))
show("bad password", ftp.get("ftp://alice:wrong@127.0.0.1:" .. port .. "/hello.txt"))
show("read-only put", ftp.put("ftp://127.0.0.1:" .. port .. "/anon.txt", "x"))
show("bad type", ftp.get(base .. "/hello.txt;type=x"))
show("bad scheme", ftp.get("http://127.0.0.1:" .. port .. "/hello.txt"))
show("no host", ftp.get{path = "/x", sink = ltn12.sink.null()})
local dead = socket.bind("127.0.0.1", 0)
local _, dport = dead:getsockname()
dead:close()
show("no server", ftp.get("ftp://127.0.0.1:" .. dport .. "/hello.txt"))
