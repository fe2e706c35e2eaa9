package socket_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// signalHost is a plugintest Host whose Block announces each wait on
// entered, so a test goroutine can act while Lua waits, and whose context
// the test can cancel (as Ctrl-C or task:cancel() would).
type signalHost struct {
	*plugintest.Host
	entered chan string
	cancel  context.CancelFunc
}

func (h *signalHost) Block(L *lua.LState, fn func(ctx context.Context) error) error {
	select {
	case h.entered <- "block":
	default:
	}
	return fn(h.Ctx)
}

var _ plugins.Host = (*signalHost)(nil)

func newSignalState(t *testing.T) (*lua.LState, *signalHost) {
	t.Helper()
	base := plugintest.NewHost(t)
	ctx, cancel := context.WithCancel(base.Ctx)
	base.Ctx = ctx
	h := &signalHost{Host: base, entered: make(chan string, 1), cancel: cancel}
	p, _ := plugins.Get("socket")
	L := lua.NewState()
	t.Cleanup(L.Close)
	plugintest.Load(L, h, p)
	return L, h
}

// run runs code in L while act runs on another goroutine once Lua enters
// its first blocking wait after setup; it fails the test after 10 s.
func run(t *testing.T, L *lua.LState, h *signalHost, setup, code string, act func()) {
	t.Helper()
	if err := L.DoString(setup); err != nil {
		t.Fatal(err)
	}
	for len(h.entered) > 0 {
		<-h.entered
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-h.entered:
			act()
		case <-time.After(10 * time.Second):
		}
	}()
	if err := L.DoString(code); err != nil {
		t.Fatal(err)
	}
	<-done
}

// TestRecvClosedByOtherTask: a socket closed under recv (here through the
// session's table, as .sockets or another task would) makes recv return
// nil, "closed".
func TestRecvClosedByOtherTask(t *testing.T) {
	L, h := newSignalState(t)
	run(t, L, h, `
		srv = assert(socket.bind("127.0.0.1", 0))
		local _, port = srv:getsockname()
		c = assert(socket.connect("127.0.0.1", port))
		a = assert(srv:accept())`, `
		local data, short, story = a:recv(10)
		assert(data == nil and short == "closed", tostring(short) .. " " .. tostring(story))
		assert(tostring(a):match("<tcp closed>$"), tostring(a))`,
		func() {
			list := h.Sockets().List()
			h.Sockets().Get(list[len(list)-1].ID).Close() // a, the newest
		})
}

// TestInterruptedWait: cancelling the task's context wakes accept with
// nil, "interrupted".
func TestInterruptedWait(t *testing.T) {
	L, h := newSignalState(t)
	run(t, L, h, `srv = assert(socket.bind("127.0.0.1", 0))`, `
		local c, short, story = srv:accept()
		assert(c == nil and short == "interrupted", tostring(short) .. " " .. tostring(story))
		local r, w, err = socket.select({srv}, nil, 5)
		assert(err == "interrupted", tostring(err))`,
		func() { h.cancel() })
}

// TestGoServerSendsSlowly: a Go server writes a line in pieces; the Lua
// client's helpers and LuaSocket patterns assemble it.
func TestGoServerSendsSlowly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			errc <- err
			return
		}
		defer c.Close()
		buf := make([]byte, 1)
		for _, piece := range []string{"HEL", "LO\r", "\nWOR", "LD\n", "12", "34", "tail"} {
			if _, err := c.Write([]byte(piece)); err != nil {
				errc <- err
				return
			}
			if piece == "12" || piece == "tail" {
				continue // recvexactly(4) waits for "34" too; "*a" waits for the close
			}
			// Wait for the client's ack so each piece arrives alone.
			if _, err := c.Read(buf); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	L, _ := newState(t)
	port := ln.Addr().(*net.TCPAddr).Port
	err = L.DoString(`
		local c = assert(socket.connect("127.0.0.1", ` + strconv.Itoa(port) + `))
		local function ack() c:send("k") end
		local got = {}
		got[1] = c:recv(10); ack()          -- "HEL"
		got[2] = c:recv(10); ack()          -- "LO\r"
		got[3] = c:recvline(); ack()        -- "" ("\n" ends the CR-terminated line)
		got[4] = c:receive("*l"); ack()     -- "WORLD"
		got[5] = c:recvexactly(4); ack()    -- "12" and "34", maybe apart
		got[6] = c:receive("*a")            -- "tail" then the server closes
		assert(got[1] == "HEL" and got[2] == "LO\r", got[1] .. got[2])
		assert(got[3] == "" and got[4] == "WORLD", got[3] .. "|" .. got[4])
		assert(got[5] == "1234" and got[6] == "tail", got[5] .. got[6])
		c:close()`)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
