package exec

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// Open builds the exec module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"run":   func(L *lua.LState) int { return runLua(L, h, "exec.run", false) },
		"shell": func(L *lua.LState) int { return runLua(L, h, "exec.shell", true) },
		"which": which,
	})
}

// runLua is exec.run(argv | {cmd=, shell=true}[, opts]) -> result | nil, err, story
// and exec.shell(cmdline[, opts]) -> result | nil, err, story.
func runLua(L *lua.LState, h plugins.Host, op string, shell bool) int {
	var argv []string
	if shell {
		line, ok := L.Get(1).(lua.LString)
		if !ok {
			L.RaiseError("%s: argument #1 (cmdline) must be a string, got %s", op, L.Get(1).Type())
		}
		argv = shellArgv(string(line))
	} else {
		argv = checkArgv(L, op)
	}
	s := checkOpts(L, op, 2)
	s.Argv = argv
	if len(argv) == 3 && argv[0] == "/bin/sh" && argv[1] == "-c" {
		s.Name = strconv.Quote(shorten(argv[2], 40))
	}
	var res *Result
	err := h.Block(L, func(ctx context.Context) error {
		var err error
		res, err = Run(ctx, op, s)
		return err
	})
	if err != nil {
		var re *RunError
		if !errors.As(err, &re) {
			re = &RunError{"interrupted", fmt.Sprintf("%s %s: %v", op, s.name(), err)}
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(re.Short))
		L.Push(lua.LString(re.Story))
		return 3
	}
	L.Push(resultTable(L, res))
	return 1
}

// shorten cuts s to at most n bytes, marking the cut with "...".
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// which is exec.which(name) -> path | nil, err, story.
func which(L *lua.LState) int {
	name, ok := L.Get(1).(lua.LString)
	if !ok {
		L.RaiseError("exec.which: argument #1 (name) must be a string, got %s", L.Get(1).Type())
	}
	p, err := Which(string(name))
	if err != nil {
		re := err.(*RunError)
		L.Push(lua.LNil)
		L.Push(lua.LString(re.Short))
		L.Push(lua.LString(re.Story))
		return 3
	}
	L.Push(lua.LString(p))
	return 1
}

// shellArgv is how a command line reaches the system shell.
func shellArgv(line string) []string {
	return []string{"/bin/sh", "-c", line}
}

// checkArgv reads argument 1: an argv list, or {cmd=line, shell=true}.
func checkArgv(L *lua.LState, op string) []string {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		L.RaiseError("%s: argument #1 must be an argv table such as {\"ls\", \"-l\"}, got %s (use exec.shell for a command line)", op, L.Get(1).Type())
	}
	if cmd := t.RawGetString("cmd"); cmd != lua.LNil {
		line, ok := cmd.(lua.LString)
		if !ok {
			L.RaiseError("%s: argument #1: cmd must be a string, got %s", op, cmd.Type())
		}
		if t.RawGetString("shell") != lua.LTrue {
			L.RaiseError("%s: argument #1: cmd= is a shell command line and needs shell=true (or pass an argv list)", op)
		}
		return shellArgv(string(line))
	}
	n := t.Len()
	if n == 0 {
		L.RaiseError("%s: argument #1: argv is empty", op)
	}
	argv := make([]string, n)
	for i := 1; i <= n; i++ {
		switch v := t.RawGetInt(i).(type) {
		case lua.LString:
			argv[i-1] = string(v)
		case lua.LNumber:
			argv[i-1] = v.String()
		default:
			L.RaiseError("%s: argument #1: argv[%d] must be a string, got %s", op, i, v.Type())
		}
	}
	return argv
}

var optNames = map[string]bool{"stdin": true, "env": true, "clear_env": true, "cwd": true, "timeout": true, "max_output": true}

// checkOpts reads the options table at index n.
func checkOpts(L *lua.LState, op string, n int) Spec {
	s := Spec{MaxOutput: DefaultMaxOutput}
	v := L.Get(n)
	if v == lua.LNil {
		return s
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		L.RaiseError("%s: argument #%d (opts) must be a table, got %s", op, n, v.Type())
	}
	t.ForEach(func(k, _ lua.LValue) {
		if ks, ok := k.(lua.LString); !ok || !optNames[string(ks)] {
			L.RaiseError("%s: unknown option %s (want stdin, env, clear_env, cwd, timeout, max_output)", op, L.ToStringMeta(k))
		}
	})
	switch v := t.RawGetString("stdin").(type) {
	case *lua.LNilType:
	case lua.LString:
		s.Stdin, s.HasStdin = []byte(string(v)), true
	default:
		L.RaiseError("%s: option stdin must be a string, got %s", op, v.Type())
	}
	switch v := t.RawGetString("cwd").(type) {
	case *lua.LNilType:
	case lua.LString:
		s.Dir = string(v)
	default:
		L.RaiseError("%s: option cwd must be a string, got %s", op, v.Type())
	}
	switch v := t.RawGetString("timeout").(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if v <= 0 || math.IsNaN(float64(v)) || float64(v) > 1e9 {
			L.RaiseError("%s: option timeout must be a positive number of seconds, got %s", op, v)
		}
		s.Timeout = time.Duration(float64(v) * float64(time.Second))
	default:
		L.RaiseError("%s: option timeout must be a number, got %s", op, v.Type())
	}
	switch v := t.RawGetString("max_output").(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if v < 0 || float64(v) != math.Floor(float64(v)) || float64(v) > 1<<40 {
			L.RaiseError("%s: option max_output must be a whole number of bytes >= 0, got %s", op, v)
		}
		s.MaxOutput = int(v)
	default:
		L.RaiseError("%s: option max_output must be a number, got %s", op, v.Type())
	}
	s.Env = checkEnv(L, op, t)
	return s
}

// checkEnv merges opts.env into the inherited environment (or into an empty
// one with clear_env=true); nil means "inherit unchanged".
func checkEnv(L *lua.LState, op string, t *lua.LTable) []string {
	clear := lua.LVAsBool(t.RawGetString("clear_env"))
	ev := t.RawGetString("env")
	if ev == lua.LNil && !clear {
		return nil
	}
	vars := map[string]string{}
	if !clear {
		for _, kv := range os.Environ() {
			for i := 0; i < len(kv); i++ {
				if kv[i] == '=' && i > 0 {
					vars[kv[:i]] = kv[i+1:]
					break
				}
			}
		}
	}
	if ev != lua.LNil {
		et, ok := ev.(*lua.LTable)
		if !ok {
			L.RaiseError("%s: option env must be a table of NAME=value, got %s", op, ev.Type())
		}
		et.ForEach(func(k, v lua.LValue) {
			ks, ok := k.(lua.LString)
			if !ok || ks == "" {
				L.RaiseError("%s: option env: names must be non-empty strings, got %s", op, k.Type())
			}
			if strings.ContainsAny(string(ks), "=\x00") {
				// "A=B" would silently set A to "B=...".
				L.RaiseError("%s: option env: name %q must not contain '=' or a NUL byte", op, string(ks))
			}
			switch v := v.(type) {
			case lua.LString, lua.LNumber:
				vars[string(ks)] = v.String()
			case lua.LBool:
				if v {
					L.RaiseError("%s: option env.%s must be a string (false removes it)", op, ks)
				}
				delete(vars, string(ks))
			default:
				L.RaiseError("%s: option env.%s must be a string, got %s", op, ks, v.Type())
			}
		})
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// resultTable is the Lua view of r.
func resultTable(L *lua.LState, r *Result) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("stdout", lua.LString(r.Stdout))
	t.RawSetString("stderr", lua.LString(r.Stderr))
	t.RawSetString("code", lua.LNumber(r.Code))
	if r.Signal != "" {
		t.RawSetString("signal", lua.LString(r.Signal))
	}
	t.RawSetString("timed_out", lua.LBool(r.TimedOut))
	t.RawSetString("truncated", lua.LBool(r.Truncated))
	t.RawSetString("ok", lua.LBool(r.Code == 0 && !r.TimedOut))
	t.RawSetString("elapsed", lua.LNumber(r.Elapsed.Seconds()))
	return t
}
