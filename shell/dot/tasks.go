package dot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell"
	"nsh/shell/help"
	"nsh/shell/printer"
)

func init() {
	Register(Command{Name: "tasks", Summary: "the running tasks: id, state, age, name and what each waits on", Run: dotTasks})
	Register(Command{Name: "kill", Usage: ".kill ID... | all", Summary: "cancel tasks: their blocking call returns nil, \"interrupted\"; the sockets they own close unless something alive holds them (.close task ID closes them all)",
		Run: dotKill, Complete: func(e *Env, _ []string, _ string) []string {
			out := []string{"all "}
			for _, t := range e.S.Tasks() {
				if !t.Foreground() {
					out = append(out, strconv.Itoa(t.ID)+" ")
				}
			}
			return out
		}})
}

// tasksLockWait bounds how long .tasks waits for the lock to read stacks.
const tasksLockWait = 300 * time.Millisecond

func dotTasks(e *Env, args []string) error {
	var list []*shell.Task
	for _, t := range e.S.Tasks() {
		if !t.Foreground() {
			list = append(list, t)
		}
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Out, e.Style("dim", "no tasks running (spawn(fn) starts one)"))
		return nil
	}
	whats := map[*shell.Task]string{}
	code := map[*shell.Task]string{}
	WithLockFor(e.S, e.Ctx, func() {
		names := help.FunctionNames(e.S.L)
		for _, t := range list {
			whats[t] = taskWhat(e.S.L, t, names)
			if p := taskProto(t); p != nil && e.P != nil {
				if line, ok := e.P.TypedLine(p); ok {
					code[t] = " " + snippet(line, 36)
				}
			}
		}
	})
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tAGE\tNAME\tWAITING ON")
	for _, t := range list {
		state := t.State()
		what := whats[t]
		if state == "running" && what == "" {
			what = "(running Lua)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, state, age(time.Since(t.Started())), t.Name+code[t], what)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// one line a task: what a task waits on is cut at the terminal's edge
	for _, line := range strings.SplitAfter(strings.TrimSuffix(table.String(), "\n"), "\n") {
		fmt.Fprintln(e.Out, cutToWidth(strings.TrimSuffix(line, "\n"), e.width()))
	}
	return nil
}

// cutToWidth cuts s to width columns (runes) with "…"; width 0 keeps it.
func cutToWidth(s string, width int) string {
	if width <= 1 || utf8.RuneCountInString(s) < width {
		return s
	}
	r := []rune(s)
	return string(r[:width-2]) + "…"
}

// age renders a duration in one short unit: 850ms, 12s, 3m, 2h.
func age(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}

// taskWhat describes what a waiting task waits on, from its Lua stack: the
// Go function it is parked in, its first argument, and the Lua line that
// called it ("sock:accept(<tcp 127.0.0.1:8081 LISTEN>) at stdin:3"). The
// caller holds the lock, so the task cannot move; L is the session's state,
// used to call __tostring.
func taskWhat(L *lua.LState, t *shell.Task, names map[lua.LValue]string) string {
	if t.State() != "waiting" {
		return ""
	}
	co := t.L
	dbg, ok := co.GetStack(0)
	if !ok {
		return ""
	}
	fnv, err := co.GetInfo("nSlf", dbg, lua.LNil)
	if err != nil {
		return ""
	}
	name := names[fnv]
	if name == "" {
		name = dbg.Name
	}
	if name == "" {
		name = "?"
	}
	arg := ""
	if _, v := co.GetLocal(dbg, 1); v != lua.LNil && v != nil {
		arg = shortValue(L, v)
	}
	where := ""
	for level := 1; level < 16; level++ {
		d, ok := co.GetStack(level)
		if !ok {
			break
		}
		if _, err := co.GetInfo("Sl", d, lua.LNil); err != nil {
			break
		}
		if d.What != "G" && d.CurrentLine > 0 {
			where = fmt.Sprintf(" at %s:%d", strings.TrimPrefix(d.Source, "@"), d.CurrentLine)
			break
		}
	}
	return name + "(" + arg + ")" + where
}

// shortValue renders an argument in a few characters.
func shortValue(L *lua.LState, v lua.LValue) string {
	p := printer.New(L, false, nil)
	switch x := v.(type) {
	case *lua.LTable:
		if s, ok := p.ToString(x); ok {
			return s
		}
		return "{...}"
	case lua.LString:
		return printer.QuoteLua(string(x), 24)
	}
	return p.Format(v)
}

func dotKill(e *Env, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: .kill ID... | all (.tasks lists the ids)")
	}
	if len(args) == 1 && args[0] == "all" {
		n := 0
		for _, t := range e.S.Tasks() {
			if !t.Foreground() {
				t.Cancel()
				n++
			}
		}
		fmt.Fprintln(e.Out, "cancelled "+Plural(n, "task"))
		return nil
	}
	var errs []error
	for _, a := range args {
		id, err := strconv.Atoi(strings.TrimPrefix(a, "#"))
		if err != nil {
			errs = append(errs, fmt.Errorf(".kill: %q is not a task id", a))
			continue
		}
		t := e.S.Task(id)
		if t == nil || t.Foreground() {
			errs = append(errs, fmt.Errorf(".kill: no task %d (.tasks lists them)", id))
			continue
		}
		t.Cancel()
		fmt.Fprintf(e.Out, "task %d cancelled\n", id)
	}
	return errors.Join(errs...)
}

// taskProto returns the function a task was started with (the bottom of
// its Lua stack), or nil before it has started. The caller holds the lock.
func taskProto(t *shell.Task) *lua.FunctionProto {
	var last *lua.Debug
	for level := 0; level < 256; level++ {
		d, ok := t.L.GetStack(level)
		if !ok {
			break
		}
		last = d
	}
	if last == nil {
		return nil
	}
	fnv, err := t.L.GetInfo("f", last, lua.LNil)
	if fn, ok := fnv.(*lua.LFunction); err == nil && ok && fn.Proto != nil {
		return fn.Proto
	}
	return nil
}

// snippet shortens a line of code to n characters.
func snippet(line string, n int) string {
	r := []rune(line)
	if len(r) <= n {
		return line
	}
	return string(r[:n-1]) + "…"
}
