package repl

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	binPluginsOnce sync.Once
	binPlugins     string
)

// needPlugin skips a test when the nsh binary under test lacks a plugin it
// uses (nsh plugins lists them).
func needPlugin(t *testing.T, name string) {
	t.Helper()
	bin := testBinary(t)
	binPluginsOnce.Do(func() {
		out, _ := exec.Command(bin, "plugins").Output()
		binPlugins = "\n" + string(out)
	})
	if !strings.Contains(binPlugins, "\n"+name+" ") {
		t.Skipf("plugin %s is not in this build (plugins/all)", name)
	}
}

func TestPTYAutoPrintAndMultiLine(t *testing.T) {
	p := startNSH(t)
	if out := p.run("1 + 1"); !strings.Contains(out, "2") {
		t.Errorf("1 + 1 printed %q", out)
	}
	p.send("function twice(a)\r")
	p.expect("...> ")
	p.send("  return a * 2\r")
	p.expect("...> ")
	p.send("end\r")
	p.expect("nsh> ")
	if out := p.run("twice(21)"); !strings.Contains(out, "42") {
		t.Errorf("twice(21) printed %q", out)
	}
	if out := p.run(`{b = 2, a = {1, 2}}`); !strings.Contains(out, "{a = {1, 2}, b = 2}") {
		t.Errorf("a table printed %q", out)
	}
	if out := p.run("1 +* 2"); !strings.Contains(out, "syntax error near '*'") || !strings.Contains(out, "^") {
		t.Errorf("a syntax error printed %q", out)
	}
	p.send("\x04")
	p.expect("bye: stopped 0 tasks, closed 0 sockets")
	if code := p.wait(); code != 0 {
		t.Errorf("exit status %d after Ctrl-D", code)
	}
}

func TestPTYCompletion(t *testing.T) {
	needPlugin(t, "socket")
	p := startNSH(t)
	p.run(`srv = socket.bind("127.0.0.1", 0)`)
	p.send("srv:setsockop\t")
	p.expect("srv:setsockopt(")
	p.send("\x15") // Ctrl-U: forget the line
	p.send("spaw\t")
	p.expect("spawn(")
	p.send("\x15.soc\t")
	p.expect(".sockets")
	p.send("\x15socket.conn\t\t")
	p.expect("connect4(")
	p.send("\x15")
	if err := os.WriteFile(filepath.Join(p.cmd.Dir, "hello_script.lua"), []byte("print('hi')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.send(".run hello_sc\t")
	p.expect("hello_script.lua")
	p.send("\r")
	p.expect("hi")
	p.expect("nsh> ")
}

func TestPTYHistoryFile(t *testing.T) {
	p := startNSH(t)
	p.run("x = 12345")
	p.send("function f()\r")
	p.expect("...> ")
	p.send("return x end\r")
	p.expect("nsh> ")
	p.send("\x1b[A") // Up: the last entry comes back
	p.expect("function f() return x end")
	p.send("\x15\x04")
	p.wait()
	data, err := os.ReadFile(p.hist)
	if err != nil {
		t.Fatalf("history file: %v", err)
	}
	for _, want := range []string{"x = 12345", "function f() return x end"} {
		if !strings.Contains(string(data), want+"\n") {
			t.Errorf("history file lacks %q:\n%s", want, data)
		}
	}
}

func TestPTYCtrlCInterruptsBlockedAccept(t *testing.T) {
	needPlugin(t, "socket")
	p := startNSH(t)
	p.run(`srv = socket.bind("127.0.0.1", 0)`)
	p.run(`bg = spawn(function() while true do sleep(0.05) end end)`) // a background task keeps running
	p.send(`print("acc" .. "epting"); c, err = srv:accept()` + "\r")
	p.expect("accepting") // printed, not echoed: the line is running
	p.send("\x03")
	p.expect("interrupted")
	p.expect("nsh> ")
	// The line is abandoned at once (its assignment does not run); the
	// socket stays usable.
	p.run(`port = select(2, srv:getsockname()); ct = spawn(function() return socket.connect("127.0.0.1", port) end)`)
	if out := p.run("srv:accept()"); !strings.Contains(out, "ESTABLISHED>") {
		t.Errorf("accept after Ctrl-C printed %q", out)
	}
	p.run("ct:join()") // the connecting task has ended before the count below
	if out := p.run("bg.state"); !regexp.MustCompile(`"(waiting|running)"`).MatchString(out) {
		t.Errorf("the background task did not survive Ctrl-C: %q", out)
	}
	p.send("\x03") // on an empty line: how to leave
	p.expect("Ctrl-D")
	p.send("\x04")
	// srv only: the connections were printed and kept by no name, so each
	// closed once shown (lifetime.go)
	p.expect("bye: stopped 1 task, closed 1 socket")
	p.wait()
}

func TestPTYBackgroundServer(t *testing.T) {
	needPlugin(t, "socket")
	p := startNSH(t)
	p.run(`srv = socket.bind("127.0.0.1", 0); print("port=" .. select(2, srv:getsockname()))`)
	port := regexp.MustCompile(`port=(\d+)`).FindStringSubmatch(p.text())
	if port == nil {
		t.Fatalf("no port printed:\n%s", p.text())
	}
	p.run(`server = spawn(function()
  while true do
    local c = srv:accept()
    spawn(function()
      while true do
        local line = c:recvline()
        if not line then break end
        c:sendline("echo " .. line:upper())
      end
    end)
  end
end)`)
	p.run(`c = socket.connect("127.0.0.1", tonumber("` + port[1] + `"))`)
	p.run(`c:sendline("hello")`)
	if out := p.run("c:recvline()"); !strings.Contains(out, `"echo HELLO"`) {
		t.Errorf("the background server answered %q", out)
	}
	// A client outside the shell, on the port the server printed.
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port[1], ptyWait)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(ptyWait))
	conn.Write([]byte("from go\n"))
	if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || line != "echo FROM GO\n" {
		t.Errorf("external client got %q, %v", line, err)
	}
	out := p.run(".sockets")
	if !strings.Contains(out, "LISTEN") || strings.Count(out, "ESTABLISHED") < 3 {
		t.Errorf(".sockets shows no LISTEN or too few ESTABLISHED:\n%s", out)
	}
	out = p.run(".tasks")
	if !strings.Contains(out, "<tcp 127.0.0.1:"+port[1]+" LISTEN>)") || !strings.Contains(out, "sock:recvline(") {
		t.Errorf(".tasks does not say what the tasks wait on:\n%s", out)
	}
	p.send("\x04")
	p.expect("bye: stopped 3 tasks, closed 4 sockets")
	p.wait()
}

func TestPTYOutputAboveHalfTypedLine(t *testing.T) {
	needPlugin(t, "socket")
	p := startNSH(t)
	p.run(`srv = socket.bind("127.0.0.1", 0); print("port=" .. select(2, srv:getsockname()))`)
	port := regexp.MustCompile(`port=(\d+)`).FindStringSubmatch(p.text())
	if port == nil {
		t.Fatalf("no port printed:\n%s", p.text())
	}
	p.run(`spawn(function() local c = srv:accept(); print("task says hello"); c:close() end)`)
	p.send("half = 4")
	p.expect("half = 4")
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port[1], ptyWait)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	p.expect("task says hello")
	p.expect("nsh> half = 4") // the prompt and the half line are drawn again
	p.send("2\r")
	p.expect("half = 42\n") // entered: the line ends with a newline
	p.expect("nsh> ")
	if out := p.run("half"); !strings.Contains(out, "42") {
		t.Errorf("the half-typed line was lost: half is %q; output:\n%s", out, p.text())
	}
}

func TestPTYRunScriptExit(t *testing.T) {
	p := startNSH(t)
	script := filepath.Join(p.cmd.Dir, "exits.lua")
	os.WriteFile(script, []byte("print('script runs', arg[1])\nspawn(function() sleep(30) end)\nos.exit(3)\nprint('not reached')\n"), 0o644)
	out := p.run(".run exits.lua one")
	if !strings.Contains(out, "script runs\tone") || !strings.Contains(out, "exit status 3") || strings.Contains(out, "not reached") {
		t.Errorf(".run printed %q", out)
	}
	if out := p.run("2 + 3"); !strings.Contains(out, "5") {
		t.Errorf("the shell did not survive os.exit in .run: %q", out)
	}
	if out := p.run(".tasks"); !strings.Contains(out, "no tasks") {
		t.Errorf("os.exit left the script's tasks running:\n%s", out)
	}
}

// Ctrl-C stops a server run with .run and closes its listener, so that
// running it again finds its port free, as after a process.
func TestPTYRunServerCtrlCClosesItsSockets(t *testing.T) {
	needPlugin(t, "socket")
	p := startNSH(t)
	script := filepath.Join(p.cmd.Dir, "server.lua")
	os.WriteFile(script, []byte("srv = socket.bind('127.0.0.1', 0)\nprint('list' .. 'ening')\nsrv:accept()\n"), 0o644)
	p.send(".run server.lua\r")
	p.expect("listening")
	p.send("\x03")
	p.expect(".run server.lua: interrupted (closed the 1 socket it left open)")
	p.expect("nsh> ")
	if out := p.run("srv"); !strings.Contains(out, "<tcp closed>") {
		t.Errorf("the script's server after Ctrl-C: %q", out)
	}
	if out := p.run(".sockets"); !strings.Contains(out, "no open sockets") {
		t.Errorf(".sockets after the script was stopped:\n%s", out)
	}
}

func TestPTYLuaPluginCommand(t *testing.T) {
	home := t.TempDir()
	os.Mkdir(filepath.Join(home, "plugins"), 0o755)
	os.WriteFile(filepath.Join(home, "plugins", "greeter.lua"), []byte(`
return {
  name = "ptygreeter",
  summary = "says hello",
  module = {},
  commands = {
    {name = "greet", usage = ".greet NAME", summary = "print a greeting",
     run = function(who) print("hello, " .. (who or "nobody")) end},
    {name = "nap", summary = "sleep until interrupted",
     run = function() print("nap" .. "ping"); sleep(60) end},
  },
}
`), 0o644)
	p := startNSHIn(t, home)
	if out := p.run(".plugins"); !strings.Contains(out, "ptygreeter") || !strings.Contains(out, ".greet NAME") {
		t.Errorf(".plugins does not list the Lua plugin and its command:\n%s", out)
	}
	if out := p.run(".greet world"); !strings.Contains(out, "hello, world") {
		t.Errorf(".greet printed %q", out)
	}
	p.send(".gr\t")
	p.expect(".greet ")
	p.send("\x15.nap\r")
	p.expect("napping")
	p.send("\x03")
	p.expect("interrupted") // the command ends at once (strong cancellation)
	p.expect("nsh> ")
	if out := p.run("1 + 2"); !strings.Contains(out, "3") {
		t.Errorf("after an interrupted command: %q", out)
	}
}
