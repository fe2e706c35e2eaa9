package exec

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// child is a running child process started by Run: what .procs lists and
// what KillAll ends when nsh itself is ending.
type child struct {
	pid     int
	name    string
	started time.Time
	kill    func()          // kills the child's process group
	done    <-chan struct{} // closed once the child is reaped
}

// children are the running children of this process, by pid. They are
// process-wide, as the process groups they stand for are.
var children = struct {
	sync.Mutex
	m map[int]*child
}{m: map[int]*child{}}

func addChild(c *child) {
	children.Lock()
	children.m[c.pid] = c
	children.Unlock()
}

func removeChild(pid int) {
	children.Lock()
	delete(children.m, pid)
	children.Unlock()
}

// Children returns the running children, oldest first.
func Children() []ChildInfo {
	children.Lock()
	out := make([]ChildInfo, 0, len(children.m))
	for _, c := range children.m {
		out = append(out, ChildInfo{PID: c.pid, Name: c.name, Started: c.started})
	}
	children.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Started.Before(out[j].Started) })
	return out
}

// ChildInfo describes one running child for listings.
type ChildInfo struct {
	PID     int
	Name    string
	Started time.Time
}

// reapWait bounds how long KillAll waits for the killed children to be reaped.
const reapWait = 2 * time.Second

// KillAll kills the process group of every running child (SIGKILL) and
// waits, up to reapWait in all, until each is reaped. It is the exec
// plugin's Exit: nsh ending on a signal takes its children with it.
func KillAll() {
	children.Lock()
	list := make([]*child, 0, len(children.m))
	for _, c := range children.m {
		list = append(list, c)
	}
	children.Unlock()
	for _, c := range list {
		c.kill()
	}
	deadline := time.NewTimer(reapWait)
	defer deadline.Stop()
	for _, c := range list {
		select {
		case <-c.done:
		case <-deadline.C:
			return
		}
	}
}

// procsCommand is ".procs": the running children with their pid (also their
// process group), age and command.
func procsCommand(_ *lua.LState, h plugins.Host, args []string) error {
	if len(args) != 0 {
		return errors.New("usage: .procs")
	}
	list := Children()
	if len(list) == 0 {
		_, err := fmt.Fprintln(h.Stdout(), h.Style("dim", "no child processes running (exec.run starts one)"))
		return err
	}
	tw := tabwriter.NewWriter(h.Stdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PID\tAGE\tCOMMAND")
	for _, c := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", c.PID, time.Since(c.Started).Round(time.Second), c.Name)
	}
	return tw.Flush()
}
