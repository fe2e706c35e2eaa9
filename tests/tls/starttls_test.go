package tls

import (
	"encoding/hex"
	"net"

	"fmt"
	"nsh/internal/nshtest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/netcore"
)

// pySMTP is an SMTP-like server written for the test with Python's ssl:
// plain greeting and EHLO, STARTTLS, then the same connection in TLS.
const pySMTP = `
import socket, ssl, sys
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket()
s.bind(("127.0.0.1", 0)); s.listen(1)
print("port", s.getsockname()[1], flush=True)
c, _ = s.accept()
f = c.makefile("rb", buffering=0)
c.sendall(b"220 test ESMTP\r\n")
assert f.readline().startswith(b"EHLO")
c.sendall(b"250-test\r\n250 STARTTLS\r\n")
assert f.readline() == b"STARTTLS\r\n"
c.sendall(b"220 go ahead\r\n")
ss = ctx.wrap_socket(c, server_side=True)
line = ss.recv(100)
ss.sendall(b"250 secret received: " + line)
print("python got", line.decode().strip(), ss.version(), flush=True)
ss.unwrap(); ss.close()
`

// starttlsClient speaks the plain part, then upgrades its socket in place.
const starttlsClient = `
local c = assert(socket.connect("127.0.0.1", tonumber(arg[1])))
c:settimeout(20)
print(c:receive())
c:send("EHLO nsh\r\n")
repeat local l = c:receive() print(l) until l:sub(4, 4) == " "
c:send("STARTTLS\r\n")
print(c:receive())
local ok, err, story = c:starttls({cafile = arg[2], server_name = "localhost"})
if not ok then print("starttls failed: " .. story) os.exit(3) end
print("upgraded", c, c:info("protocol"))
c:send("MAIL FROM:<a@b>\r\n")
print(c:receive())
c:close()
`

func TestStartTLSAgainstPython(t *testing.T) {
	need(t, "python3")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	py := startPeer(t, "python3", "-c", pySMTP, cert, key)
	port := py.WaitLine(t, `^port (\d+)`, 20*time.Second)[1]
	r := run(t, "", script(t, dir, "starttls.lua", starttlsClient), port, cert)
	if r.Code != 0 {
		t.Fatalf("exit %d:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	contains(t, "nsh STARTTLS client", r.Stdout, "220 test ESMTP", "250 STARTTLS", "220 go ahead",
		"<tcp+tls 127.0.0.1:", "TLSv1.3", "250 secret received: MAIL FROM:<a@b>")
	py.WaitLine(t, "python got MAIL FROM:<a@b> TLSv1.3", 10*time.Second)
}

// starttlsServer is an nsh SMTP-like server that upgrades on STARTTLS.
const starttlsServer = `
local ssl = require("ssl")
local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
print("listening on " .. port)
local c = srv:accept()
c:settimeout(20)
c:send("220 nsh ESMTP\r\n")
while true do
  local line = c:receive()
  if line == nil then break end
  if line:match("^EHLO") then c:send("250-nsh\r\n250 STARTTLS\r\n")
  elseif line == "STARTTLS" then
    c:send("220 Ready to start TLS\r\n")
    assert(c:starttls({mode = "server", certificate = arg[1], key = arg[2]}))
    print("upgraded", c:info("protocol"))
  elseif line == "QUIT" then c:send("221 bye\r\n") break
  else c:send("250 got " .. line .. "\r\n") print("got " .. line) end
end
c:close()
`

func TestOpensslStartTLSAgainstNshServer(t *testing.T) {
	need(t, "openssl")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	srv := startNsh(t, script(t, dir, "smtpd.lua", starttlsServer), cert, key)
	port := srv.WaitLine(t, `^listening on (\d+)$`, 20*time.Second)[1]
	cl := startPeer(t, "openssl", "s_client", "-connect", "127.0.0.1:"+port, "-starttls", "smtp",
		"-CAfile", cert, "-verify_return_error", "-servername", "localhost", "-quiet")
	fmt.Fprintln(cl.in, "NOOP over tls")
	cl.WaitLine(t, "250 got NOOP over tls", 20*time.Second)
	fmt.Fprintln(cl.in, "QUIT")
	cl.WaitLine(t, "221 bye", 20*time.Second)
	srv.WaitLine(t, `^upgraded\tTLSv1\.3$`, 10*time.Second)
}

// TestKeylogDecryptsInTshark captures an nsh TLS session on lo with
// tshark, with the session keys in SSLKEYLOGFILE, and checks that tshark
// decrypts the plaintext with -o tls.keylog_file.
func TestKeylogDecryptsInTshark(t *testing.T) {
	tshark := need(t, "tshark")
	dir := t.TempDir()
	cert, key := certFiles(t, dir, netcore.CertRequest{})
	keylog := filepath.Join(dir, "keys.log")
	pcap := filepath.Join(dir, "tls.pcapng")
	code := `
local ssl = require("ssl")
local srv = assert(socket.bind("127.0.0.1", tonumber(arg[3])))
local t = spawn(function()
  local c = ssl.wrap(srv:accept(), {mode = "server", certificate = arg[1], key = arg[2]})
  c:send(c:receive():upper() .. " from the keylog server\n")
  c:close()
end)
local c = socket.connect("127.0.0.1", tonumber(arg[3]))
c = ssl.wrap(c, {cafile = arg[1], server_name = "localhost", keylog = arg[4]})
assert(c:dohandshake())
c:send("attack at dawn\n")
print(c:receive())
c:close()
t:join()
`
	// A loaded lo drops packets and tshark starts capturing a moment
	// after it says so: a capture without the whole session (no Client
	// Hello, no reply) is taken again, up to three times. Decryption is
	// judged only on a complete capture.
	complete := false
	for attempt := 1; attempt <= 3 && !complete; attempt++ {
		os.Remove(keylog)
		complete = captureSession(t, tshark, pcap, script(t, dir, "keylog.lua", code), cert, key, keylog)
	}
	if !complete {
		t.Skip("tshark missed part of the session three times (a loaded lo); nothing to judge")
	}
	keys, err := os.ReadFile(keylog)
	if err != nil || !strings.Contains(string(keys), "CLIENT_TRAFFIC_SECRET_0 ") {
		t.Fatalf("keylog %s: %v\n%s", keylog, err, keys)
	}
	// Decrypted application data with no dissector of its own is "data".
	fields := func(args ...string) string {
		args = append([]string{"-r", pcap}, args...)
		out, _ := exec.Command(tshark, append(args, "-Y", "data", "-T", "fields", "-e", "data.data")...).CombinedOutput()
		return string(out)
	}
	want := hex.EncodeToString([]byte("attack at dawn\n"))
	if raw := fields(); strings.Contains(raw, want) {
		t.Fatalf("the plaintext is readable without the keys:\n%s", raw)
	}
	if dec := fields("-o", "tls.keylog_file:"+keylog); !strings.Contains(dec, want) {
		t.Fatalf("tshark with the keylog did not decrypt the session (want %s):\n%s", want, dec)
	}
}

// startNsh runs nsh in the background (killed at cleanup).
func startNsh(t *testing.T, args ...string) *nshtest.Proc { return nshtest.Start(t, args...) }

// freePort returns a loopback TCP port nobody listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// captureSession runs the script under a tshark capture of its port and
// reports whether the capture holds the whole session.
func captureSession(t *testing.T, tshark, pcap, lua, cert, key, keylog string) bool {
	t.Helper()
	port := freePort(t)
	cap := exec.Command(tshark, "-i", "lo", "-B", "64", "-f", "tcp port "+port, "-w", pcap, "-q")
	capOut := &strings.Builder{}
	cap.Stderr = capOut
	if err := cap.Start(); err != nil {
		t.Skipf("tshark cannot capture here: %v", err)
	}
	defer func() { cap.Process.Kill(); cap.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(capOut.String(), "Capturing on"); {
		if time.Now().After(deadline) {
			t.Skipf("tshark did not start capturing on lo: %s", capOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	r := run(t, "", lua, cert, key, port, keylog)
	if r.Code != 0 || !strings.Contains(r.Stdout, "ATTACK AT DAWN from the keylog server") {
		t.Fatalf("exit %d:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	time.Sleep(500 * time.Millisecond) // let tshark write the last packets
	cap.Process.Signal(os.Interrupt)
	cap.Wait()
	out, _ := exec.Command(tshark, "-r", pcap, "-Y", "tls.handshake.type == 1 || tcp.flags.fin == 1", "-T", "fields", "-e", "frame.number").CombinedOutput()
	frames := strings.Fields(string(out))
	n := 0
	for _, f := range frames {
		if f != "" && f[0] >= '0' && f[0] <= '9' {
			n++
		}
	}
	if n < 2 {
		t.Logf("incomplete capture (%d of the Client Hello and FIN frames)", n)
		return false
	}
	return true
}

// TestSSLKEYLOGFILE: the environment variable alone makes every session
// append its keys, in the NSS key log format.
func TestSSLKEYLOGFILE(t *testing.T) {
	dir := t.TempDir()
	keylog := filepath.Join(dir, "env-keys.log")
	t.Setenv("SSLKEYLOGFILE", keylog)
	code := `
local ssl = require("ssl")
local cert, key = ssl.selfsigned{hosts = {"127.0.0.1"}}
local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
local t = spawn(function()
  local c = ssl.wrap(srv:accept(), {mode = "server", certificate = cert, key = key})
  c:send(c:receive() .. "\n"); c:close()
end)
local c = ssl.wrap(socket.connect("127.0.0.1", port), {cafile = cert})
c:send("x\n"); print(c:receive()); c:close(); t:join()
`
	r := run(t, "", script(t, dir, "envkeylog.lua", code))
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	b, err := os.ReadFile(keylog)
	if err != nil {
		t.Fatal(err)
	}
	// Both ends log: two sessions' worth of TLS 1.3 secrets.
	if n := strings.Count(string(b), "CLIENT_TRAFFIC_SECRET_0 "); n != 2 {
		t.Fatalf("SSLKEYLOGFILE holds %d CLIENT_TRAFFIC_SECRET_0 lines, want 2:\n%s", n, b)
	}
}
