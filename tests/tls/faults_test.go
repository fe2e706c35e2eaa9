package tls

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/netcore"
)

// faultsLua exercises the failures a user meets, each in its own block,
// and prints one line per case; the Go test checks the words.
const faultsLua = `
local ssl = require("ssl")
local dir = arg[1]
local cert, key = ssl.selfsigned{hosts = {"localhost", "127.0.0.1"}}
local expired = {ssl.selfsigned{hosts = {"localhost"}, notbefore = os.time() - 86400 * 10, notafter = os.time() - 86400}}

-- a server task: accepts one connection and runs fn on it
local function server(fn)
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  local t = spawn(function() local c = s:accept(); fn(c); c:close(); s:close() end)
  return port, t
end
local function client(port, params)
  local c = socket.tcp()
  c:settimeout(10)
  assert(c:connect("127.0.0.1", port))
  return ssl.wrap(c, params)
end
local function report(name, ok, err, story) print(name .. ": " .. tostring(ok) .. " | " .. tostring(err) .. " | " .. tostring(story)) end

-- a plain-text peer
local port, t = server(function(c) c:send("220 plain smtp here\r\n"); c:receive() end)
local c = client(port, {cafile = cert})
report("plaintext", c:dohandshake()); c:close(); t:join()

-- a peer that closes mid-handshake
port, t = server(function(c) c:receive(10) end)
c = client(port, {cafile = cert})
report("midclose", c:dohandshake()); c:close(); t:join()

-- verification failures: unknown authority, wrong name, expired
local function tlsServer(crt, k)
  return server(function(c)
    c = ssl.wrap(c, {mode = "server", certificate = crt, key = k})
    c:dohandshake()
  end)
end
port, t = tlsServer(cert, key)
c = client(port, {})
report("unknown", c:dohandshake()); c:close(); t:join()
port, t = tlsServer(cert, key)
c = client(port, {cafile = cert, server_name = "example.com"})
report("wrongname", c:dohandshake()); c:close(); t:join()
port, t = tlsServer(expired[1], expired[2])
c = client(port, {cafile = expired[1], server_name = "localhost"})
report("expired", c:dohandshake()); c:close(); t:join()
-- verify = "none" only when asked: the same server, accepted, the failure still reported
port, t = tlsServer(cert, key)
c = client(port, {verify = "none"})
local ok = c:dohandshake()
local vok, why = c:getpeerverification()
report("verifynone", ok, vok, why and why[1]); c:close(); t:join()

-- missing and unreadable key files, a key that does not match
report("missingkey", ssl.newcontext({mode = "server", certificate = cert, key = dir .. "/nope.pem"}))
report("unreadablekey", ssl.newcontext({mode = "server", certificate = cert, key = dir .. "/unreadable.pem"}))
local _, otherkey = ssl.selfsigned{hosts = {"localhost"}}
report("mismatch", ssl.newcontext({mode = "server", certificate = cert, key = otherkey}))
report("pyraise", pcall(function()
  local ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
  ctx:load_cert_chain(dir .. "/nope.pem", dir .. "/nope-key.pem")
end))

-- a handshake that never finishes: LuaSec's "wantread" at the timeout, then cancel
local hold = assert(socket.bind("127.0.0.1", 0))
local _, hport = hold:getsockname()
local keep = spawn(function() local c = hold:accept(); sleep(30); c:close() end)
c = socket.tcp(); assert(c:connect("127.0.0.1", hport))
c = ssl.wrap(c, {cafile = cert})
c:settimeout(0.2)
report("hstimeout", c:dohandshake())
c:settimeout(nil)
local waiter = spawn(function() c:dohandshake() end)
sleep(0.2)
waiter:cancel() -- Ctrl-C: the task's context is cancelled while it waits
waiter:join()
report("hscancel", c:dohandshake()) -- the handshake was stopped, for good
print("want: " .. c:want())
c:close()
keep:cancel(); hold:close()

-- missing close_notify: truncation
port, t = server(function(c)
  c = ssl.wrap(c, {mode = "server", certificate = cert, key = key})
  c:dohandshake(); c:send("partial data")
  sleep(0.1)
  c:shutdown()  -- the TCP stream ends without TLS close_notify
end)
c = client(port, {cafile = cert})
assert(c:dohandshake())
print("partial: " .. c:receive(12))
local r = {c:receive("*a")}
report("truncated", r[1], r[2], r[4]); c:close(); t:join()
-- and an orderly close is the end of the stream
port, t = server(function(c)
  c = ssl.wrap(c, {mode = "server", certificate = cert, key = key})
  c:dohandshake(); c:send("all of it"); c:close()
end)
c = client(port, {cafile = cert})
report("orderly", c:receive("*a")); c:close(); t:join()
`

func TestFaults(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "unreadable.pem")
	os.WriteFile(unreadable, []byte("x"), 0o000)
	r := run(t, "", script(t, dir, "faults.lua", faultsLua), dir)
	out := r.Stdout + r.Stderr
	if r.Code != 0 {
		t.Fatalf("exit %d:\n%s", r.Code, out)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(r.Stdout, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			lines[k] = v
		}
	}
	check := func(name string, want ...string) {
		t.Helper()
		got, ok := lines[name]
		if !ok {
			t.Fatalf("no %s line in:\n%s", name, out)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", name, got, w)
			}
		}
	}
	check("plaintext", "nil | the peer does not speak TLS", `"220 p"`, "handshake 127.0.0.1:")
	check("midclose", "nil | closed", "handshake 127.0.0.1:")
	check("unknown", "nil | certificate verify failed", "for 127.0.0.1: self-signed certificate not in the trusted roots")
	check("wrongname", "nil | certificate verify failed", "for example.com: wrong host name: the certificate is valid for localhost, 127.0.0.1, not example.com")
	check("expired", "nil | certificate verify failed", "for localhost: certificate has expired (not after")
	check("verifynone", "true | false | certificate verify failed for 127.0.0.1: self-signed")
	check("missingkey", "nil | key ", "nope.pem: no such file or directory")
	if os.Geteuid() != 0 { // root reads a file whatever its mode
		check("unreadablekey", "nil | key ", "unreadable.pem: permission denied")
	}
	check("mismatch", "nil | certificate (PEM text), key (PEM text): the private key does not match the certificate's public key")
	check("pyraise", "false | ", "load_cert_chain: certificate ", "nope.pem: no such file or directory")
	check("hstimeout", "nil | wantread")
	check("hscancel", "nil | interrupted")
	check("partial", "partial data")
	check("truncated", "nil | truncated", "without TLS close_notify")
	check("orderly", "all of it | nil")
	check("want", "nothing")
}

// TestManyConnections runs 1,000 TLS clients at one nsh server at once,
// 50 at a time in flight per client task, each a full handshake and an echo.
func TestManyConnections(t *testing.T) {
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	code := `
local ssl = require("ssl")
local ctx = assert(ssl.newcontext({mode = "server", certificate = arg[1], key = arg[2]}))
local srv = assert(socket.bind("127.0.0.1", 0, 1024))
ssl.wrap(srv, ctx)
local _, port = srv:getsockname()
local server = spawn(function()
  for i = 1, 1000 do
    local c = srv:accept()
    spawn(function()
      c:settimeout(30)
      local line = c:receive("*l")
      if line then c:send(line .. "\n") end
      c:close()
    end)
  end
end)
local cctx = assert(ssl.newcontext({cafile = arg[1], server_name = "localhost"}))
local ok, bad = 0, {}
local clients = {}
for w = 1, 20 do
  clients[w] = spawn(function()
    for i = 1, 50 do
      local c = socket.tcp()
      c:settimeout(30)
      local r, err = c:connect("127.0.0.1", port)
      if r then
        c = ssl.wrap(c, cctx)
        local h, herr, story = c:dohandshake()
        if h then
          c:send("n" .. w .. "-" .. i .. "\n")
          if c:receive("*l") == "n" .. w .. "-" .. i then ok = ok + 1 else bad[#bad + 1] = "echo" end
        else bad[#bad + 1] = story or herr end
      else bad[#bad + 1] = err end
      c:close()
    end
  end)
end
for _, c in ipairs(clients) do c:join() end
server:join(30)
print("ok " .. ok .. " bad " .. #bad .. " " .. tostring(bad[1]))
srv:close()
`
	start := time.Now()
	r := run(t, "", script(t, dir, "many.lua", code), cert, key)
	if r.Code != 0 || !strings.Contains(r.Stdout, "ok 1000 bad 0") {
		t.Fatalf("exit %d after %v:\n%s%s", r.Code, time.Since(start), r.Stdout, r.Stderr)
	}
}
