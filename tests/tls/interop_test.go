package tls

import (
	"fmt"
	"os/exec"
	"testing"
	"time"

	"nsh/internal/nshtest"
	"nsh/netcore"
)

// serverLua is an nsh TLS server (Python's vocabulary: a wrapped listening
// socket): each line comes back upper-cased; a "GET" request gets an HTTP
// reply; "quit" stops it.
const serverLua = `
local ssl = require("ssl")
local ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx:load_cert_chain(arg[1], arg[2])
local s = socket.socket()
assert(s:bind("127.0.0.1", 0))
assert(s:listen(64))
local ss = ctx:wrap_socket(s, {server_side = true})
print("listening on " .. ss:getsockname().port)
while true do
  local c = ss:accept()
  spawn(function()
    local line, err, story = c:recvline()
    if not line then print("client failed: " .. story) c:close() return end
    if line:match("^GET ") then
      repeat local h = c:recvline() until h == "" or h == nil
      local body = "hello over " .. c:version() .. "\n"
      c:sendall("HTTP/1.1 200 OK\r\nContent-Length: " .. #body .. "\r\nConnection: close\r\n\r\n" .. body)
      c:close()
      return
    end
    while line do
      if line == "quit" then c:close() os.exit(0) end
      c:sendall(line:upper() .. "\n")
      line = c:recvline()
    end
    c:close()
  end)
end
`

// startServer runs serverLua and returns its process and port.
func startServer(t *testing.T, dir, cert, key string) (*nshtest.Proc, string) {
	t.Helper()
	p := nshtest.Start(t, script(t, dir, "server.lua", serverLua), cert, key)
	port := p.WaitLine(t, `^listening on (\d+)$`, 20*time.Second)[1]
	return p, port
}

func TestOpensslClientAndCurlAgainstNshServer(t *testing.T) {
	need(t, "openssl")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	_, port := startServer(t, dir, cert, key)

	for _, v := range []string{"-tls1_2", "-tls1_3"} {
		cl := startPeer(t, "openssl", "s_client", "-connect", "127.0.0.1:"+port, "-CAfile", cert,
			"-verify_return_error", "-servername", "localhost", "-quiet", v)
		fmt.Fprintln(cl.in, "hello from openssl")
		cl.WaitLine(t, "HELLO FROM OPENSSL", 20*time.Second)
		cl.in.Close()
	}

	need(t, "curl")
	out, err := exec.Command("curl", "-sS", "--max-time", "20", "--cacert", cert,
		"https://localhost:"+port+"/").CombinedOutput()
	if err != nil {
		t.Fatalf("curl --cacert: %v\n%s", err, out)
	}
	contains(t, "curl", string(out), "hello over TLSv1.3")
	// Without the certificate curl refuses the server: nsh's certificate is
	// what an outside verifier checks.
	out, err = exec.Command("curl", "-sS", "--max-time", "20", "https://localhost:"+port+"/").CombinedOutput()
	if err == nil {
		t.Fatalf("curl without --cacert accepted a self-signed server:\n%s", out)
	}
}

// clientLua connects to arg[1]:arg[2] with LuaSec's vocabulary, trusting
// arg[3], sends a line and prints the reply and the session's facts.
const clientLua = `
local ssl = require("ssl")
local c = socket.tcp()
c:settimeout(20)
assert(c:connect("127.0.0.1", tonumber(arg[2])))
c = assert(ssl.wrap(c, {mode = "client", protocol = arg[4] or "any", cafile = arg[3], verify = "peer",
  server_name = arg[1], alpn = {"nsh-test"}}))
local ok, err, story = c:dohandshake()
if not ok then print("handshake failed: " .. tostring(story or err)) os.exit(3) end
print("protocol", c:info("protocol"))
print("verified", c:getpeerverification())
local cert = c:getpeercertificate()
print("notafter", cert:notafter())
print("alpn", c:getalpn())
assert(c:send("ping from nsh\n"))
print("reply", c:receive("*l"))
c:close()
`

func TestNshClientAgainstOpensslServer(t *testing.T) {
	need(t, "openssl")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	for _, proto := range []string{"tlsv1_2", "tlsv1_3"} {
		t.Run(proto, func(t *testing.T) {
			srv := startPeer(t, "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key,
				"-naccept", "1", "-alpn", "nsh-test")
			port := srv.WaitLine(t, `^ACCEPT 127\.0\.0\.1:(\d+)`, 20*time.Second)[1]
			done := make(chan nshtest.Result, 1)
			go func() {
				done <- run(t, "", script(t, dir, "client.lua", clientLua), "localhost", port, cert, proto)
			}()
			srv.WaitLine(t, "ping from nsh", 20*time.Second)
			// (s_server takes a line starting with P, Q, R, S... as a command)
			fmt.Fprintln(srv.in, "hello from openssl")
			r := <-done
			if r.Code != 0 {
				t.Fatalf("nsh client: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
			}
			want := map[string]string{"tlsv1_2": "TLSv1.2", "tlsv1_3": "TLSv1.3"}[proto]
			contains(t, "nsh client", r.Stdout, "protocol\t"+want, "verified\ttrue", "reply\thello from openssl", "alpn\tnsh-test")
		})
	}
}

// pyServer is a Python ssl server: it answers one line upper-cased, with
// the close_notify of an orderly unwrap.
const pyServer = `
import socket, ssl, sys
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
print("port", s.getsockname()[1], flush=True)
c, _ = s.accept()
with ctx.wrap_socket(c, server_side=True) as ss:
    f = ss.makefile("rb")
    line = f.readline()
    ss.sendall(line.upper().replace(b"PING", b"PONG"))
    ss.unwrap()
`

func TestNshClientAgainstPythonServer(t *testing.T) {
	need(t, "python3")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	py := startPeer(t, "python3", "-c", pyServer, cert, key)
	port := py.WaitLine(t, `^port (\d+)`, 20*time.Second)[1]
	r := run(t, "", script(t, dir, "client.lua", clientLua), "localhost", port, cert)
	if r.Code != 0 {
		t.Fatalf("nsh client: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	contains(t, "nsh client vs python", r.Stdout, "protocol\tTLSv1.3", "verified\ttrue", "reply\tPONG FROM NSH")
}

// TestPythonClientAgainstNshServer: Python's default context (verifying,
// host name checked) accepts nsh's self-signed server given its cafile.
func TestPythonClientAgainstNshServer(t *testing.T) {
	need(t, "python3")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	_, port := startServer(t, dir, cert, key)
	code := `
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=20) as s:
    with ctx.wrap_socket(s, server_hostname="localhost") as ss:
        ss.sendall(b"from python\n")
        print(ss.version(), ss.recv(100).decode().strip())
`
	out, err := exec.Command("python3", "-c", code, cert, port).CombinedOutput()
	if err != nil {
		t.Fatalf("python client: %v\n%s", err, out)
	}
	contains(t, "python client", string(out), "TLSv1.3 FROM PYTHON")
}
