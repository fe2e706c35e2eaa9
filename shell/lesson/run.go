package lesson

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"nsh/scripts"
	"nsh/shell"
)

// lessonRun is one role of one lesson with its parsed command line.
type lessonRun struct {
	meta  *lessonMeta
	role  string
	host  string
	port  int
	flags map[string]lua.LValue // without the leading "--": LString or LTrue
	trace shell.TraceFlag       // --trace[=FILE]: the session's call trace
	args  []string              // everything after ROLE, as typed (the script's arg)
	pos   []string              // arguments that are not flags
	file  string                // embedded path of the script
	src   string

	flagsTable *lua.LTable // built under the session lock at start
	// owned are the sockets the lesson asked to have closed if it is stopped
	// (lesson.own); read and written under the session lock.
	owned map[lua.LValue]bool
	// finished is closed once every task of the lesson has ended and its
	// owned sockets are closed.
	finished chan struct{}
}

var errLessonHelp = errors.New("help")

// newLessonRun parses args (what follows ROLE): --host H, --port P and the
// lesson's own flags as --key value, --key=value or --flag (true when the
// next argument starts with "--" or there is none).
func newLessonRun(m *lessonMeta, role string, args []string) (*lessonRun, error) {
	if !m.hasRole(role) {
		return nil, fmt.Errorf("lesson %s has no role %q (roles: %s)", m.Name, role, strings.Join(m.Roles, ", "))
	}
	r := &lessonRun{meta: m, role: role, host: m.Host, port: m.Port, flags: map[string]lua.LValue{}, args: args, file: m.script(role),
		finished: make(chan struct{})}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-h" || a == "--help" {
			return nil, errLessonHelp
		}
		if !strings.HasPrefix(a, "--") || a == "--" {
			r.pos = append(r.pos, a)
			continue
		}
		key, val, hasVal := strings.Cut(a, "=")
		if !hasVal && i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			val, hasVal = args[i+1], true
			i++
		}
		switch key {
		case "--trace":
			// --trace FILE would take the next word; a lesson's trace file is --trace=FILE.
			if hasVal && !strings.HasPrefix(a, "--trace=") {
				i--
				val = ""
			}
			r.trace = shell.TraceFlag{On: true, File: val}
		case "--host":
			if !hasVal || val == "" {
				return nil, fmt.Errorf("--host needs an address")
			}
			r.host = val
		case "--port":
			p, err := strconv.Atoi(val)
			if !hasVal || err != nil || p < 0 || p > 65535 {
				return nil, fmt.Errorf("--port needs a number from 0 to 65535, got %q", val)
			}
			r.port = p
		default:
			if _, ok := m.Flags[key]; !ok {
				return nil, fmt.Errorf("lesson %s has no flag %s", m.Name, key)
			}
			if hasVal {
				r.flags[key[2:]] = lua.LString(val)
			} else {
				r.flags[key[2:]] = lua.LTrue
			}
		}
	}
	src, err := scripts.Lessons.ReadFile(r.file)
	if err != nil {
		return nil, fmt.Errorf("lesson %s: %v", m.Name, err)
	}
	r.src = string(src)
	return r, nil
}

// lessonRuns maps a script's task group to the lesson it runs, so the
// global `lesson` answers for the task that reads it (a REPL can hold a
// server and a client at once).
var lessonRuns = struct {
	sync.Mutex
	m map[*shell.Group]*lessonRun
}{m: map[*shell.Group]*lessonRun{}}

func lessonOfGroup(g *shell.Group) *lessonRun {
	lessonRuns.Lock()
	defer lessonRuns.Unlock()
	return lessonRuns.m[g]
}

// runLesson runs r as the session's main script: it waits for every task the
// role started and returns the exit status (0, 1 on error, or os.exit's code).
func runLesson(s *shell.Session, r *lessonRun) int {
	if err := s.StartTrace(r.trace); err != nil {
		fmt.Fprintf(s.Stderr(), "%s\n", s.Style("error", err.Error()))
		return 1
	}
	t, g, err := startLesson(s, r, shell.MainTaskName)
	if err != nil {
		fmt.Fprintf(s.Stderr(), "%s\n", s.Style("error", err.Error()))
		return 1
	}
	s.CheckInterrupted(g)
	<-t.Done()
	if t.Err() != nil && !g.Exited() {
		g.Cancel()
		g.Wait()
		// A lesson's expected failure (a refused connection, a busy port)
		// is a message for the user; a bug in a lesson keeps its traceback.
		s.PrintErrorTraced(t.Err(), !shell.UserMessage(t.Err()))
		return 1
	}
	g.Wait()
	return g.Status()
}

// Start runs ROLE of lesson NAME as a background task of the session
// (what the REPL's ".lesson NAME ROLE [flags]" does) and returns its task.
// args are the flags after ROLE. The caller must not hold the session lock.
func Start(s *shell.Session, name, role string, args []string) (*shell.Task, error) {
	r, err := prepareLesson(name, role, args)
	if err != nil {
		return nil, err
	}
	if err := s.StartTrace(r.trace); err != nil {
		return nil, err
	}
	t, _, err := startLesson(s, r, "lesson "+name+" "+role)
	return t, err
}

// prepareLesson finds lesson name and parses the flags for role; --help
// comes back as an error holding the lesson's usage.
func prepareLesson(name, role string, args []string) (*lessonRun, error) {
	m, err := findLesson(name)
	if err != nil {
		return nil, err
	}
	r, err := newLessonRun(m, role, args)
	if err == errLessonHelp {
		return nil, errors.New(strings.TrimRight(lessonHelp(m, role), "\n"))
	}
	return r, err
}

// Command is the REPL's ".lesson NAME ROLE [flags]": it starts the role
// as a background task and says so on out; ".lesson" alone lists the lessons.
func Command(s *shell.Session, args []string, out io.Writer) error {
	if len(args) == 0 {
		lessons, errs := loadLessons()
		for _, m := range lessons {
			fmt.Fprintf(out, "%-16s %-14s %s/%d  %s\n", m.Name, strings.Join(m.Roles, ","), m.Proto, m.Port, m.Title)
		}
		return errors.Join(errs...)
	}
	if len(args) < 2 {
		return errors.New("usage: .lesson NAME ROLE [--host H] [--port P] [flags]")
	}
	t, err := Start(s, args[0], args[1], args[2:])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "lesson %s %s running as task %d (.kill %d stops it)\n", args[0], args[1], t.ID, t.ID)
	return nil
}

// startLesson loads r's script and spawns it as the first task of a new
// group; the caller must not hold the session lock.
func startLesson(s *shell.Session, r *lessonRun, taskName string) (*shell.Task, *shell.Group, error) {
	s.Lock()
	defer s.Unlock()
	installLessonAPI(s)
	L := s.L
	fn, err := L.Load(strings.NewReader(r.src), "@scripts/"+r.file)
	if err != nil {
		return nil, nil, err
	}
	// The script's own environment carries its arg; other globals read and
	// write through to _G as in any script.
	argTable := L.NewTable()
	argTable.RawSetInt(0, lua.LString("scripts/"+r.file))
	luaArgs := make([]lua.LValue, len(r.args))
	for i, a := range r.args {
		argTable.RawSetInt(i+1, lua.LString(a))
		luaArgs[i] = lua.LString(a)
	}
	env := L.NewTable()
	env.RawSetString("arg", argTable)
	mt := L.NewTable()
	mt.RawSetString("__index", L.G.Global)
	mt.RawSetString("__newindex", L.G.Global)
	L.SetMetatable(env, mt)
	fn.Env = env

	r.flagsTable = L.NewTable()
	for k, v := range r.flags {
		r.flagsTable.RawSetString(k, v)
		r.flagsTable.RawSetString(strings.ReplaceAll(k, "-", "_"), v)
	}
	g := s.NewGroup("lesson " + r.file)
	lessonRuns.Lock()
	lessonRuns.m[g] = r
	lessonRuns.Unlock()
	t := s.Spawn(g, taskName, fn, luaArgs)
	go func() {
		<-t.Done()
		if t.Cancelled() {
			// .kill or Ctrl-C on the lesson stops all of it, quietly (a task
			// cancelled this way is not reported as failed)
			s.CancelGroup(g)
		}
		g.Wait()
		s.EndGroup(g, t.Err() != nil || g.Exited() || g.Ended())
		closeOwned(s, r)
		lessonRuns.Lock()
		delete(lessonRuns.m, g)
		lessonRuns.Unlock()
		close(r.finished)
	}()
	return t, g, nil
}

// closeOwned closes the sockets a finished lesson still owns: a stopped
// task cannot run Lua to close them itself, and a REPL would otherwise keep
// the lesson's port bound until it exits.
func closeOwned(s *shell.Session, r *lessonRun) {
	if s.Closing() {
		return // the session is closing: it closes every socket itself
	}
	s.Lock()
	defer s.Unlock()
	L := s.L
	for sock := range r.owned {
		closeFn := L.GetField(sock, "close")
		if closeFn.Type() != lua.LTFunction {
			continue
		}
		top := L.GetTop()
		L.Push(closeFn)
		L.Push(sock)
		L.PCall(1, lua.MultRet, nil) // an error (closed already) changes nothing
		L.SetTop(top)
	}
	r.owned = nil
}
