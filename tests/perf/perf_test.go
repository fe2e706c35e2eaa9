// Package perf holds Go benchmarks of nsh's hot paths, run through a real
// session with every plugin: the session lock's Block, task spawn, a pure
// Lua loop with and without gopher-lua's per-instruction context check,
// struct pack/unpack, and a 64-byte echo round trip through the lock over
// loopback (Lua client and Lua server in one session, and a Lua client
// against a Go server).
//
//	go test -run '^$' -bench . -benchmem ./tests/perf
package perf

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	_ "nsh/plugins/all"
	"nsh/shell"
)

// The probe plugin gives Lua a call that goes through Block and does nothing
// else, to measure the lock hand-off alone.
func init() {
	plugins.Register(plugins.Plugin{
		Name: "probe", Version: "0", Summary: "benchmark probe", Global: true,
		Open: func(L *lua.LState, h plugins.Host) *lua.LTable {
			return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
				"block": func(L *lua.LState) int {
					h.Block(L, func(ctx context.Context) error { return nil })
					return 0
				},
				"noop": func(L *lua.LState) int { return 0 },
			})
		},
	})
}

func newSession(tb testing.TB) (*shell.Session, *bytes.Buffer) {
	tb.Helper()
	var out, errb bytes.Buffer
	s := shell.New(shell.Options{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, NoLuaPlugins: true})
	tb.Cleanup(func() { s.Close() })
	return s, &errb
}

// run runs src with args in a fresh session and fails on a non-zero status.
func run(tb testing.TB, src string, args ...string) {
	tb.Helper()
	s, errb := newSession(tb)
	if st := s.RunSource("bench.lua", src, args); st != 0 {
		tb.Fatalf("status %d: %s", st, errb)
	}
}

func n(b *testing.B) string { return strconv.Itoa(b.N) }

// TestProbe checks the probe and the scripts the benchmarks run, once each.
func TestProbe(t *testing.T) {
	run(t, `probe.block() probe.noop() assert(select("#", probe.block()) == 0)`)
	run(t, benchSpawn, "10")
	run(t, benchStruct, "10")
	if haveSocket(t) {
		run(t, benchEchoLua, "10")
		run(t, benchEchoClient, "10", strconv.Itoa(goEcho(t)))
	}
}

func haveSocket(tb testing.TB) bool {
	_, ok := plugins.Get("socket")
	return ok
}

func BenchmarkBlock(b *testing.B) {
	run(b, `for i = 1, tonumber(arg[1]) do probe.block() end`, n(b))
}

func BenchmarkGoCall(b *testing.B) {
	run(b, `for i = 1, tonumber(arg[1]) do probe.noop() end`, n(b))
}

const benchSpawn = `
local f = function() end
for i = 1, tonumber(arg[1]) do spawn(f) end`

// BenchmarkSpawn: spawn a task that does nothing, let it run and end.
func BenchmarkSpawn(b *testing.B) {
	b.ReportAllocs()
	run(b, benchSpawn, n(b))
}

const loop = `local x = 0 for i = 1, N do x = x + i % 7 end return x`

// BenchmarkLuaLoopInTask: a pure Lua loop in a task, whose LState has a
// context (gopher-lua checks it before every instruction).
func BenchmarkLuaLoopInTask(b *testing.B) {
	run(b, strings.Replace(loop, "N", "tonumber(arg[1])", 1), n(b))
}

// BenchmarkLuaLoopNoContext: the same loop in a bare LState without a context.
func BenchmarkLuaLoopNoContext(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	if err := L.DoString(strings.Replace(loop, "N", n(b), 1)); err != nil {
		b.Fatal(err)
	}
}

const benchStruct = `
local pack, unpack = struct.pack, struct.unpack
for i = 1, tonumber(arg[1]) do
  local s = pack(">HIq8s", 7, i, -i, "payload!")
  local a, b, c, d = unpack(">HIq8s", s)
  assert(b == i)
end`

// BenchmarkStructPackUnpack: one pack and one unpack of a 22-byte record.
func BenchmarkStructPackUnpack(b *testing.B) {
	run(b, benchStruct, n(b))
}

const benchEchoLua = `
local n = tonumber(arg[1])
local srv = socket.bind("127.0.0.1", 0)
local _, port = srv:getsockname()
spawn(function()
  local c = srv:accept()
  while true do
    local d = c:recv(65536)
    if not d or d == "" then break end
    c:sendall(d:upper())
  end
  c:close()
end)
local c = assert(socket.connect("127.0.0.1", port))
local msg = string.rep("a", 63) .. "\n"
for i = 1, n do
  c:sendall(msg)
  local got = 0
  while got < 64 do got = got + #c:recv(64 - got) end
end
c:close()
srv:close()`

// BenchmarkEchoLua: one 64-byte round trip between a Lua client task and a
// Lua server task of the same session (four Block calls, two hand-offs).
func BenchmarkEchoLua(b *testing.B) {
	if !haveSocket(b) {
		b.Skip("the socket plugin is not built in")
	}
	run(b, benchEchoLua, n(b))
}

const benchEchoClient = `
local n, port = tonumber(arg[1]), tonumber(arg[2])
local c = assert(socket.connect("127.0.0.1", port))
local msg = string.rep("a", 63) .. "\n"
for i = 1, n do
  c:sendall(msg)
  local got = 0
  while got < 64 do got = got + #c:recv(64 - got) end
end
c:close()`

// BenchmarkEchoLuaClientGoServer: the Lua client alone against a Go echo
// server; compare with netcore's BenchmarkPingPong (no Lua, no lock).
func BenchmarkEchoLuaClientGoServer(b *testing.B) {
	if !haveSocket(b) {
		b.Skip("the socket plugin is not built in")
	}
	run(b, benchEchoClient, n(b), strconv.Itoa(goEcho(b)))
}

// goEcho starts an upper-case echo server on loopback port 0.
func goEcho(tb testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 65536)
				for {
					k, err := c.Read(buf)
					if err != nil {
						return
					}
					if _, err := c.Write(bytes.ToUpper(buf[:k])); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}
