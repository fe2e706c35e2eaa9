package shell

import (
	"context"
	"errors"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// ErrInterrupted is what a cancelled task's context reports, so that
// gopher-lua's per-instruction context check raises "interrupted".
var ErrInterrupted = errors.New("interrupted")

// Task is a Lua thread running on its own goroutine.
type Task struct {
	ID    int
	Name  string
	L     *lua.LState
	group *Group

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	waiting   atomic.Bool // inside Block
	cancelled atomic.Bool
	started   time.Time
	// owner owns the sockets the task makes (lifetime.go).
	owner *netcore.Owner
	// foreground marks the REPL's current line: it takes no task id (ID 0)
	// and the REPL, not the task, reports its error.
	foreground bool

	// uncaught is set when the task failed and was reported; the first
	// task:join that returns the error clears it (the error is caught).
	uncaught atomic.Bool

	// Set before done is closed; read after.
	results []lua.LValue
	err     *lua.ApiError
}

// State is "running", "waiting", "done", "failed" or "cancelled".
func (t *Task) State() string {
	select {
	case <-t.done:
		switch {
		case t.err == nil:
			return "done"
		case t.cancelled.Load() || t.group.exited.Load():
			return "cancelled"
		default:
			return "failed"
		}
	default:
	}
	if t.waiting.Load() {
		return "waiting"
	}
	return "running"
}

// Done is closed when the task has finished.
func (t *Task) Done() <-chan struct{} { return t.done }

// Cancel interrupts the task: its blocking call returns "interrupted" and
// its next Lua instruction raises.
func (t *Task) Cancel() {
	t.cancelled.Store(true)
	t.cancel()
}

// Err returns the task's error once it is done (nil on success).
func (t *Task) Err() *lua.ApiError { return t.err }

// taskCtx reports errInterrupted when cancelled and carries its task.
type taskCtx struct {
	context.Context
	t *Task
}

func (c taskCtx) Err() error {
	if c.Context.Err() != nil {
		return ErrInterrupted
	}
	return nil
}

type taskKey struct{}

func (c taskCtx) Value(k any) any {
	if k == (taskKey{}) {
		return c.t
	}
	return c.Context.Value(k)
}

func TaskOf(ctx context.Context) *Task {
	t, _ := ctx.Value(taskKey{}).(*Task)
	return t
}

// Group is the set of tasks one script started: os.exit in any of them ends
// them all, and a script run waits for all of them.
type Group struct {
	// owner owns what a script's tasks hand back when they end (nil for the
	// prompt's group: the session); see lifetime.go.
	owner  *netcore.Owner
	closed atomic.Int32 // sockets its tasks' ends closed
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	exited atomic.Bool
	code   atomic.Int32
	// failed counts the group's tasks that ended with an error (each
	// reported on stderr) that no task:join has taken yet: when it is not
	// zero at the end, the script's exit status is 1.
	failed atomic.Int32
}

func newGroup(parent context.Context) *Group {
	g := &Group{}
	g.ctx, g.cancel = context.WithCancel(parent)
	return g
}

// Status is the exit Status of a script whose tasks have all ended: the
// code given to os.exit, else 1 when a task failed, else 0.
func (g *Group) Status() int {
	switch {
	case g.exited.Load():
		return int(g.code.Load())
	case g.failed.Load() > 0:
		return 1
	}
	return 0
}

// caught marks t's error as taken by a join: it no longer fails the script.
func (t *Task) caught() {
	if t.uncaught.CompareAndSwap(true, false) {
		t.group.failed.Add(-1)
	}
}

// exit records the first exit code and cancels every task of the group.
func (g *Group) exit(code int) {
	if g.exited.CompareAndSwap(false, true) {
		g.code.Store(int32(code))
	}
	g.cancel()
}

// taskList is the session's live tasks, readable without the session lock.
type taskList struct {
	mu    sync.Mutex
	next  int
	byID  map[int]*Task
	allWG sync.WaitGroup
}

func (l *taskList) init() { l.byID = map[int]*Task{} }

func (l *taskList) add(t *Task) {
	l.mu.Lock()
	if !t.foreground {
		l.next++
		t.ID = l.next
	}
	l.byID[t.ID] = t
	l.mu.Unlock()
	l.allWG.Add(1)
}

func (l *taskList) remove(t *Task) {
	l.mu.Lock()
	if l.byID[t.ID] == t {
		delete(l.byID, t.ID)
	}
	l.mu.Unlock()
	l.allWG.Done()
}

// List returns the live tasks sorted by id.
func (l *taskList) List() []*Task {
	l.mu.Lock()
	out := make([]*Task, 0, len(l.byID))
	for _, t := range l.byID {
		out = append(out, t)
	}
	l.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Get returns the live task with id.
func (l *taskList) Get(id int) *Task {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.byID[id]
}

func (l *taskList) running() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.byID)
}

// waitAll waits for every task to end; the caller must not hold the lock.
func (l *taskList) waitAll(s *Session) { l.allWG.Wait() }

// Tasks returns the session's live tasks sorted by id.
func (s *Session) Tasks() []*Task { return s.tasks.List() }

// Task returns the live task with the given id, or nil.
func (s *Session) Task(id int) *Task { return s.tasks.Get(id) }

// Spawn starts fn(args...) as a task of group g. The caller holds the lock;
// the task runs once the caller releases it.
func (s *Session) Spawn(g *Group, name string, fn *lua.LFunction, args []lua.LValue) *Task {
	return s.startTask(&Task{Name: name}, g, fn, args)
}

// StartForeground starts fn as the REPL's current line in group g (the
// prompt's): a task without an id whose error the REPL reports. The caller
// holds the session lock.
func (s *Session) StartForeground(g *Group, name string, fn *lua.LFunction) *Task {
	return s.startTask(&Task{Name: name, foreground: true}, g, fn, nil)
}

// startTask starts t (its Name and foreground set by the caller) like spawn.
func (s *Session) startTask(t *Task, g *Group, fn *lua.LFunction, args []lua.LValue) *Task {
	co, _ := s.L.NewThread()
	t.L, t.group, t.done, t.started = co, g, make(chan struct{}), time.Now()
	var cctx context.Context
	cctx, t.cancel = context.WithCancel(g.ctx)
	t.ctx = taskCtx{Context: cctx, t: t}
	co.SetContext(t.ctx)
	co.Preempt = s.preempt
	s.tasks.add(t)
	t.owner = ownerFor(t, g)
	// on the thread's stack already, where a walk of the live values sees
	// them (lifetime.go) before the task runs
	co.Push(fn)
	for _, a := range args {
		co.Push(a)
	}
	g.wg.Add(1)
	go s.runTask(t, len(args))
	return t
}

// preempt is called by the VM every lua.PreemptEvery instructions of a
// task, between two instructions, where the shared state is as consistent
// as at any blocking call: it offers the session lock to the other tasks,
// so a busy loop cannot stop a server (or os.exit) running beside it. A
// task waiting over a millisecond puts the lock in starvation mode and gets
// it handed over here.
func (s *Session) preempt(*lua.LState) {
	s.mu.Unlock()
	runtime.Gosched()
	s.mu.Lock()
}

func (s *Session) runTask(t *Task, nargs int) {
	s.mu.Lock()
	co := t.L
	err := co.PCall(nargs, lua.MultRet, nil)
	if err != nil {
		var apiErr *lua.ApiError
		if !errors.As(err, &apiErr) {
			apiErr = &lua.ApiError{Type: lua.ApiErrorPanic, Object: lua.LString(err.Error())}
		}
		t.err = apiErr
	} else {
		n := co.GetTop()
		t.results = make([]lua.LValue, n)
		for i := 1; i <= n; i++ {
			t.results[i-1] = co.Get(i)
		}
		co.SetTop(0)
	}
	if t.err != nil && !t.cancelled.Load() && !t.group.exited.Load() && t.Name != MainTaskName && !t.foreground && s.base.Err() == nil {
		t.group.failed.Add(1)
		t.uncaught.Store(true)
		s.reportTaskError(t)
	}
	s.endOwner(t)
	t.cancel()
	s.mu.Unlock()
	// Off the list before done is closed: whoever join wakes (a prompt line,
	// then .tasks or the session's close) must not count it as running.
	s.tasks.remove(t)
	close(t.done)
	t.group.wg.Done()
}

const MainTaskName = "main"

// reportTaskError prints a failed background task's id, message and traceback.
func (s *Session) reportTaskError(t *Task) {
	text := ErrorValueText(t.L, t.err.Object)
	msg := s.style.Style("error", "task "+itoa(t.ID)+" ("+t.Name+") failed: "+text)
	if tb := taskTraceback(t.err.StackTrace); tb != "" {
		msg += "\n" + tb
	}
	s.stderr.Write([]byte(msg + "\n"))
}

// taskTraceback tidies gopher-lua's traceback of a task: its function is
// the thread's bottom frame, which gopher-lua calls "main chunk".
func taskTraceback(tb string) string {
	keep := TracebackLines(tb)
	for i, l := range keep {
		if strings.HasSuffix(l, ": in main chunk") {
			keep[i] = strings.TrimSuffix(l, "main chunk") + "the task's function"
		}
	}
	if len(keep) <= 1 {
		return ""
	}
	return strings.Join(keep, "\n")
}
