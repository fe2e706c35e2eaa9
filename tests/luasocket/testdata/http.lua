-- http.lua: socket.http against testdata/http_peer.py (port in HTTP_PORT),
-- printed for the Go test to compare nsh with C LuaSocket.
local http = require("socket.http")
local ltn12 = require("ltn12")
local url = require("socket.url")
local base = "http://127.0.0.1:" .. os.getenv("HTTP_PORT")

local body, code, headers, status = http.request(base .. "/body?n=100000")
print("simple", #body, code, headers["content-length"], status)
body, code = http.request(base .. "/redirect")
print("redirect", body, code)
body, code, headers = http.request(base .. "/chunked")
print("chunked", body, code, headers["transfer-encoding"])
body, code = http.request(base .. "/echo", "posted=1&x=2")
print("post", body, code)
local t = {}
local ok, gcode, gheaders = http.request{url = base .. "/body?n=5000", sink = ltn12.sink.table(t)}
print("generic", ok, gcode, #table.concat(t))
t = {}
ok, gcode = http.request{url = base .. "/echo", method = "POST", source = ltn12.source.string("abc"),
  headers = {["content-length"] = 3}, sink = ltn12.sink.table(t)}
print("generic post", ok, gcode, table.concat(t))
t = {}
ok, gcode = http.request{url = base .. "/redirect", redirect = false, sink = ltn12.sink.table(t)}
print("no redirect", ok, gcode)
body, code = http.request(base .. "/missing")
print("404", body, code)
print("refused", http.request("http://127.0.0.1:1/"))
local p = url.parse("http://user:pw@example.com:8080/a/b;p?q=1#f")
print("url", p.scheme, p.user, p.password, p.host, p.port, p.path, p.params, p.query, p.fragment)
print("url build", url.build(p), url.absolute("http://a/b/c/d", "../e"), url.escape("a b&c"), url.unescape("a%20b"))

-- through a proxy: the request line carries the absolute URL of a host that
-- does not exist, which the peer (acting as the proxy) answers
local proxy = "http://127.0.0.1:" .. os.getenv("HTTP_PORT")
local pt = {}
local pok, pcode = http.request{url = "http://nowhere.invalid/body?n=6", proxy = proxy, sink = ltn12.sink.table(pt)}
print("proxy", pok, pcode, table.concat(pt))
pt = {}
pok, pcode = http.request{url = "http://user:secret@nowhere.invalid/headers", proxy = proxy, sink = ltn12.sink.table(pt)}
print("proxy headers", pok, pcode, table.concat(pt))
http.PROXY = proxy
local pb, pc, _, ps = http.request("http://nowhere.invalid/body?n=3")
print("http.PROXY", pb, pc, ps)
http.PROXY = nil
