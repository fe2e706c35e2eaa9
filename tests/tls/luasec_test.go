package tls

import (
	"strings"
	"testing"
	"time"

	"nsh/netcore"
)

// TestHTTPS: LuaSec's ssl.https (vendored) and LuaSocket's socket.http
// with an https URL, against the nsh server; verification is on unless
// asked off.
func TestHTTPS(t *testing.T) {
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	_, port := startServer(t, dir, cert, key)
	code := `
local https = require("ssl.https")
local url = "https://localhost:" .. arg[1] .. "/"
local body, code = https.request(url)
print("noca", body, code)
local t = {}
local r, code = https.request{url = url, cafile = arg[2], sink = ltn12.sink.table(t)}
print("https", r, code, table.concat(t))
local body, code = require("socket.http").request{url = url, cafile = arg[2], sink = ltn12.sink.table(t)}
print("http", body, code)
local body, code = https.request{url = url, verify = "none", sink = ltn12.sink.table(t)}
print("none", body, code)
`
	r := run(t, "", script(t, dir, "https.lua", code), port, cert)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	contains(t, "https", r.Stdout, "noca\tnil\tcertificate verify failed", "https\t1\t200\thello over TLSv1.3",
		"http\t1\t200", "none\t1\t200")
}

// TestLuaSecInterop: the C LuaSec (lua5.1 + lua-sec) as client of an nsh
// server and as server for an nsh client, both verifying.
func TestLuaSecInterop(t *testing.T) {
	need(t, "lua5.1")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	_, port := startServer(t, dir, cert, key)
	client := `
local socket = require("socket")
local ok, ssl = pcall(require, "ssl")
if not ok then print("no luasec") os.exit(0) end
local c = assert(socket.connect("127.0.0.1", tonumber(arg[1])))
c = assert(ssl.wrap(c, {mode = "client", protocol = "any", cafile = arg[2], verify = "peer"}))
c:sni("localhost")
assert(c:dohandshake())
c:send("from luasec\n")
print(c:receive("*l"), c:info("protocol"))
`
	out := runLua(t, dir, "luasec_client.lua", client, port, cert)
	if strings.Contains(out, "no luasec") {
		t.Skip("lua-sec is not installed for lua5.1 (apt-get install lua-sec)")
	}
	contains(t, "LuaSec client", out, "FROM LUASEC\tTLSv1.3")

	server := `
local socket = require("socket")
local ssl = require("ssl")
local srv = assert(socket.bind("127.0.0.1", 0))
print("port " .. select(2, srv:getsockname()))
io.stdout:flush()
local c = srv:accept()
c = assert(ssl.wrap(c, {mode = "server", protocol = "any", certificate = arg[1], key = arg[2]}))
assert(c:dohandshake())
local line = c:receive("*l")
c:send("luasec says " .. line .. "\n")
c:close()
`
	p := startPeer(t, "lua5.1", script(t, dir, "luasec_server.lua", server), cert, key)
	lport := p.WaitLine(t, `^port (\d+)`, 20*time.Second)[1]
	r := run(t, "", script(t, dir, "client.lua", clientLua), "localhost", lport, cert)
	if r.Code != 0 {
		t.Fatalf("nsh client vs LuaSec: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	contains(t, "nsh client vs LuaSec", r.Stdout, "verified\ttrue", "reply\tluasec says ping from nsh")
}
