-- https_client.lua: https:// through LuaSec's ssl.https and LuaSocket's
-- socket.http against https_peer.py (Python's ssl, a certificate signed by
-- the test's own CA in CA_FILE), verification on: the right CA, a wrong one
-- (OTHER_CA), none, verify = "none", a POST, a chunked body, http -> https
-- redirects followed and https -> http ones refused. The same under C
-- LuaSocket + LuaSec and nsh. (verify is always given: LuaSec's default is
-- "none", nsh's "peer"; docs/luasocket.md.) The test runs it with
-- SSL_CERT_FILE naming the test's CA, which nsh (Go's system roots) reads for
-- a request without a cafile, as a redirect's: socket.http does not carry
-- the request's TLS params to the request a redirect makes.
local http = require("socket.http")
local https = require("ssl.https")
local ltn12 = require("ltn12")
local hport, sport = string.match(os.getenv("HTTPS_PORTS"), "(%d+) (%d+)")
local ca, other = os.getenv("CA_FILE"), os.getenv("OTHER_CA")
local base = "https://localhost:" .. sport

local function show(name, r, code, headers, status)
  print(name, tostring(r), tostring(code), headers and headers["content-length"] or "-", tostring(status))
end

local function get(mod, url, params)
  local t = {}
  params.url, params.sink = url, ltn12.sink.table(t)
  local r, code, headers, status = mod.request(params)
  return r and table.concat(t) or r, code, headers, status
end

show("https right ca", get(https, base .. "/body?n=100", {cafile = ca, verify = "peer"}))
show("https wrong ca", get(https, base .. "/body?n=100", {cafile = other, verify = "peer"}))
show("https verify none", get(https, base .. "/body?n=5", {verify = "none"}))
show("https simple form", https.request(base .. "/body?n=7"))
local body = string.rep("posted ", 1000)
show("https post", get(https, base .. "/echo", {cafile = ca, verify = "peer", method = "POST",
  source = ltn12.source.string(body), headers = {["content-length"] = #body}}))
show("https chunked", get(https, base .. "/chunked", {cafile = ca, verify = "peer"}))
show("https 404", get(https, base .. "/nothing", {cafile = ca, verify = "peer"}))
local r, code = get(https, base .. "/body?n=1048576", {cafile = ca, verify = "peer"})
print("https 1 MiB", r and #r, code)

-- socket.http with an https URL goes through ssl.https, with the same params
show("http https url", get(http, base .. "/body?n=12", {cafile = ca, verify = "peer"}))
show("http https wrong ca", get(http, base .. "/body?n=12", {cafile = other, verify = "peer"}))
-- a redirect from http to https is followed, with the request's params
show("http -> https", get(http, "http://localhost:" .. hport .. "/to-https", {cafile = ca, verify = "peer"}))
show("http -> https, params not carried", get(http, "http://localhost:" .. hport .. "/to-https", {cafile = other, verify = "peer"}))
show("http -> https not followed", get(http, "http://localhost:" .. hport .. "/to-https", {redirect = false}))
-- a redirect from https to http is not (LuaSocket avoids downgrades)
show("https -> http", get(http, base .. "/to-http", {cafile = ca, verify = "peer"}))
-- ssl.https refuses to speak plain http
show("https of http url", pcall(https.request, "http://localhost:" .. hport .. "/body?n=1"))
