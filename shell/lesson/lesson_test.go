package lesson

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"nsh/scripts"
	"nsh/shell"
	"nsh/shell/dot"
)

// TestLessonMetas checks every embedded lesson: a valid meta.json, a script
// per role whose first line names the seed document, flags spelled --name.
func TestLessonMetas(t *testing.T) {
	lessons, errs := loadLessons()
	for _, err := range errs {
		t.Error(err)
	}
	if len(lessons) == 0 {
		t.Fatal("no lessons embedded")
	}
	seen := map[int]string{}
	for _, m := range lessons {
		if _, err := fs.Stat(scripts.Lessons, path.Join(lessonsRoot, m.Name, "meta.json")); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if m.Seed == "" || m.Title == "" || m.Summary == "" {
			t.Errorf("%s: meta.json needs seed, title and summary", m.Name)
		}
		if m.Proto != "tcp" && m.Proto != "udp" {
			t.Errorf("%s: proto %q, want tcp or udp", m.Name, m.Proto)
		}
		if other, dup := seen[m.Number]; dup && m.Number != 0 {
			t.Errorf("%s: number %d already used by %s", m.Name, m.Number, other)
		}
		seen[m.Number] = m.Name
		for flag := range m.Flags {
			if !strings.HasPrefix(flag, "--") || flag == "--host" || flag == "--port" {
				t.Errorf("%s: flag %q must be --name and not --host/--port", m.Name, flag)
			}
		}
		for _, role := range m.Roles {
			src, err := scripts.Lessons.ReadFile(m.script(role))
			if err != nil {
				t.Errorf("%s %s: %v", m.Name, role, err)
				continue
			}
			first, _, _ := strings.Cut(string(src), "\n")
			if !strings.HasPrefix(first, "-- Seed ") {
				t.Errorf("%s %s: first line %q should name the seed (\"-- Seed NNN ...\")", m.Name, role, first)
			}
			if _, err := parse.Parse(strings.NewReader(string(src)), m.script(role)); err != nil {
				t.Errorf("%s %s: %v", m.Name, role, err)
			}
		}
	}
}

func TestNewLessonRunFlags(t *testing.T) {
	m := &lessonMeta{Name: "demo", Roles: []string{"server", "client"}, Host: "127.0.0.1", Port: 8000,
		Flags: map[string]string{"--dir": "folder", "--allow-exec": "run commands"}}
	m.Files = map[string]string{"server": "tcp-upper/server.lua", "client": "tcp-upper/client.lua"}
	tests := []struct {
		name    string
		args    []string
		host    string
		port    int
		flags   map[string]lua.LValue
		pos     []string
		wantErr string
	}{
		{"defaults", nil, "127.0.0.1", 8000, map[string]lua.LValue{}, nil, ""},
		{"host and port", []string{"--host", "::1", "--port", "0"}, "::1", 0, map[string]lua.LValue{}, nil, ""},
		{"equals", []string{"--port=9", "--dir=up"}, "127.0.0.1", 9, map[string]lua.LValue{"dir": lua.LString("up")}, nil, ""},
		{"boolean before flag", []string{"--allow-exec", "--port", "1"}, "127.0.0.1", 1, map[string]lua.LValue{"allow-exec": lua.LTrue}, nil, ""},
		{"boolean last", []string{"--dir", "x", "--allow-exec"}, "127.0.0.1", 8000, map[string]lua.LValue{"dir": lua.LString("x"), "allow-exec": lua.LTrue}, nil, ""},
		{"positional", []string{"extra", "--dir", "d"}, "127.0.0.1", 8000, map[string]lua.LValue{"dir": lua.LString("d")}, []string{"extra"}, ""},
		{"unknown flag", []string{"--nope"}, "", 0, nil, nil, "has no flag --nope"},
		{"port too big", []string{"--port", "70000"}, "", 0, nil, nil, "0 to 65535"},
		{"port not a number", []string{"--port", "http"}, "", 0, nil, nil, "0 to 65535"},
		{"port missing", []string{"--port"}, "", 0, nil, nil, "0 to 65535"},
		{"host missing", []string{"--host"}, "", 0, nil, nil, "--host needs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := newLessonRun(m, "client", tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.host != tc.host || r.port != tc.port || !reflect.DeepEqual(r.flags, tc.flags) || !reflect.DeepEqual(r.pos, tc.pos) {
				t.Fatalf("got host %q port %d flags %v pos %v", r.host, r.port, r.flags, r.pos)
			}
		})
	}
	if _, err := newLessonRun(m, "spectator", nil); err == nil {
		t.Fatal("unknown role accepted")
	}
	if _, err := newLessonRun(m, "client", []string{"--help"}); err != errLessonHelp {
		t.Fatalf("--help: %v", err)
	}
}

// runLessonSource runs src as a lesson role in a fresh session and returns
// its exit status and output.
func runLessonSource(t *testing.T, stdin string, flags map[string]lua.LValue, src string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	s := shell.New(shell.Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, NoLuaPlugins: true})
	t.Cleanup(func() { s.Close() })
	m := &lessonMeta{Name: "demo", Seed: "000_x.txt", Roles: []string{"client"}, Proto: "tcp", Host: "127.0.0.1", Port: 8000}
	if flags == nil {
		flags = map[string]lua.LValue{}
	}
	r := &lessonRun{meta: m, role: "client", host: "::1", port: 1234, flags: flags,
		args: []string{"--x", "y"}, pos: []string{"p"}, file: "demo/client.lua", src: src, finished: make(chan struct{})}
	done := make(chan int, 1)
	go func() { done <- runLesson(s, r) }()
	select {
	case code := <-done:
		return code, out.String(), errOut.String()
	case <-time.After(20 * time.Second):
		t.Fatalf("lesson did not end; stdout so far:\n%s", out.String())
		return 0, "", ""
	}
}

func TestLessonGlobalAndInput(t *testing.T) {
	src := `
print(lesson.name, lesson.role, lesson.host, lesson.port, lesson.seed)
print(lesson.flags["allow-exec"], lesson.flags.allow_exec, lesson.flags.dir)
print(arg[0], arg[1], arg[2], select("#", ...), lesson.args[1])
local t = spawn(function() return lesson.name end)
print("task sees", select(2, t:join()))
while true do
  local line = lesson.input(">>>>:")
  if line == nil then break end
  print("line", "[" .. line .. "]")
end
local ok, err = pcall(function() lesson.port = 1 end)
print(ok, err:match("read%-only") ~= nil)
`
	flags := map[string]lua.LValue{"allow-exec": lua.LTrue, "dir": lua.LString("up")}
	code, out, errOut := runLessonSource(t, "one\r\n\ntwo", flags, src)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	want := "demo\tclient\t::1\t1234\t000_x.txt\n" +
		"true\ttrue\tup\n" +
		"scripts/demo/client.lua\t--x\ty\t2\tp\n" +
		"task sees\tdemo\n" +
		"line\t[one]\nline\t[]\nline\t[two]\n" +
		"false\ttrue\n"
	if out != want {
		t.Fatalf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestLessonErrorExitsOne(t *testing.T) {
	// An expected failure, raised as a message for the user: no traceback.
	code, _, errOut := runLessonSource(t, "", nil, `error("bind 127.0.0.1:8000: address already in use", 0)`)
	if code != 1 || errOut != "bind 127.0.0.1:8000: address already in use\n" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	// A bug in a lesson keeps its place and traceback.
	code, _, errOut = runLessonSource(t, "", nil, "local t = nil\nprint(t.x)")
	if code != 1 || !strings.Contains(errOut, ":2: attempt to index") || !strings.Contains(errOut, "stack traceback:") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, _, _ = runLessonSource(t, "", nil, `os.exit(3)`)
	if code != 3 {
		t.Fatalf("os.exit(3): exit %d", code)
	}
}

func TestLessonSearcher(t *testing.T) {
	code, out, errOut := runLessonSource(t, "", nil, `
local serve = require("lessons.lib.serve")
print(type(serve.tcp), type(serve.each), require("lessons.lib.serve") == serve)
print(pcall(require, "lessons.lib.nope"))
`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "function\tfunction\ttrue\nfalse\t") || !strings.Contains(out, "scripts/lessons/lib/nope.lua") {
		t.Fatalf("stdout:\n%s", out)
	}
}

// notifyWriter collects output and wakes a waiter on every write.
type notifyWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.notify != nil {
		close(w.notify)
	}
	w.notify = make(chan struct{})
	return len(p), nil
}

// waitFor waits (up to 15 s) for a match of re in the output.
func (w *notifyWriter) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		w.mu.Lock()
		m := re.FindStringSubmatch(w.buf.String())
		if w.notify == nil {
			w.notify = make(chan struct{})
		}
		next, out := w.notify, w.buf.String()
		w.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-next:
		case <-deadline:
			t.Fatalf("no %v in output:\n%s", re, out)
		}
	}
}

// TestDotLesson runs a lesson server from the REPL's .lesson as a background
// task, talks to it, and stops it.
func TestDotLesson(t *testing.T) {
	out := &notifyWriter{}
	s := shell.New(shell.Options{Stdin: strings.NewReader("hello from the client\n"), Stdout: out, Stderr: out, NoLuaPlugins: true})
	t.Cleanup(func() { s.Close() })
	cmd, ok := dot.Commands()["lesson"]
	if !ok {
		t.Fatal("no .lesson command")
	}
	var msgs bytes.Buffer
	e := &dot.Env{S: s, Ctx: context.Background(), Out: &msgs, Err: &msgs}
	if err := cmd.Run(e, nil); err != nil || !strings.Contains(msgs.String(), "tcp-upper") {
		t.Fatalf(".lesson: %v\n%s", err, msgs.String())
	}
	for _, bad := range [][]string{{"nope", "server"}, {"tcp-upper"}, {"tcp-upper", "judge"}, {"tcp-upper", "server", "--bogus"}} {
		if err := cmd.Run(e, bad); err == nil {
			t.Errorf(".lesson %v: no error", bad)
		}
	}
	msgs.Reset()
	if err := cmd.Run(e, []string{"tcp-upper", "server", "--port", "0"}); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`task (\d+) `).FindStringSubmatch(msgs.String())
	if m == nil {
		t.Fatalf(".lesson printed %q", msgs.String())
	}
	addr := out.waitFor(t, regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`))[1]
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	c.Write([]byte("hello from the repl"))
	reply := make([]byte, 19)
	if _, err := io.ReadFull(c, reply); err != nil || string(reply) != "HELLO FROM THE REPL" {
		t.Fatalf("reply %q, %v", reply, err)
	}
	// .lesson NAME client runs in the foreground: it returns when the client ends
	// (here at the end of its input)
	if err := cmd.Run(e, []string{"tcp-upper", "client", "--host", "127.0.0.1", "--port", strings.Split(addr, ":")[1]}); err != nil {
		t.Fatalf(".lesson tcp-upper client: %v", err)
	}
	out.waitFor(t, regexp.MustCompile(`(?m)^HELLO FROM THE CLIENT$`))
	if err := cmd.Run(e, []string{"tcp-upper", "client", "--port", "1"}); err == nil || !strings.Contains(err.Error(), "connect 127.0.0.1:1") {
		t.Fatalf(".lesson client to a closed port: %v", err)
	}
	id, _ := strconv.Atoi(m[1])
	task := s.Task(id)
	if task == nil {
		t.Fatalf("no task %d", id)
	}
	run := lessonOfGroup(task.Group())
	if run == nil {
		t.Fatal("the task is not a lesson's")
	}
	task.Cancel() // what .kill does
	select {
	case <-run.finished:
	case <-time.After(15 * time.Second):
		t.Fatal("the lesson did not stop")
	}
	// Stopping the lesson closed its sockets: the connection (the client sees the
	// end of the stream) and the listening one (connecting is refused).
	if n, err := c.Read(reply); n != 0 || err != io.EOF {
		t.Fatalf("connection after stop: %d bytes, %v", n, err)
	}
	if c2, err := net.Dial("tcp", addr); err == nil {
		c2.Close()
		t.Fatalf("%s still accepts connections after the lesson stopped", addr)
	}
	out.mu.Lock()
	printed := out.buf.String()
	out.mu.Unlock()
	if strings.Contains(printed, "failed") {
		t.Errorf("stopping the lesson reported its tasks as failed:\n%s", printed)
	}
	if got := completeLesson(e, []string{"upload-post", "server"}, "--"); !reflect.DeepEqual(got, []string{"--dir ", "--host ", "--max-size ", "--pause ", "--port "}) {
		t.Errorf("completion of flags: %q", got)
	}
	if got := completeLesson(e, []string{"tcp-chat"}, ""); !reflect.DeepEqual(got, []string{"server ", "client "}) {
		t.Errorf("completion of roles: %q", got)
	}
}
