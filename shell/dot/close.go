package dot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

func init() {
	Register(Command{Name: "close", Usage: ".close ID... | all | task ID",
		Summary: "close sockets by id (.sockets lists them), every socket, or every socket a task owns; calls waiting on them return nil, \"closed\"",
		Run:     dotClose, Complete: completeClose})
}

func dotClose(e *Env, args []string) error {
	tb := e.S.Sockets()
	switch {
	case len(args) == 0:
		return errors.New("usage: .close ID... | all | task ID (.sockets lists the ids)")
	case len(args) == 1 && args[0] == "all":
		fmt.Fprintln(e.Out, "closed "+Plural(tb.CloseAll(), "socket"))
		return nil
	case args[0] == "task":
		if len(args) != 2 {
			return errors.New("usage: .close task ID (.tasks lists the ids)")
		}
		id, err := strconv.Atoi(strings.TrimPrefix(args[1], "#"))
		t := e.S.Task(id)
		if err != nil || t == nil || t.Foreground() {
			return fmt.Errorf(".close: no task %s (.tasks lists them)", args[1])
		}
		fmt.Fprintf(e.Out, "closed %s of task %d\n", Plural(tb.CloseOwned(t.Owner()), "socket"), id)
		return nil
	}
	var errs []error
	n := 0
	for _, a := range args {
		id, err := strconv.Atoi(strings.TrimPrefix(a, "#"))
		if err != nil {
			errs = append(errs, fmt.Errorf(".close: %q is not a socket id", a))
			continue
		}
		s := tb.Get(id)
		if s == nil || s.Close() != nil {
			errs = append(errs, fmt.Errorf(".close: no open socket %d (.sockets lists them)", id))
			continue
		}
		n++
	}
	if n > 0 {
		fmt.Fprintln(e.Out, "closed "+Plural(n, "socket"))
	}
	return errors.Join(errs...)
}

// completeClose offers "all", "task" and the open sockets' ids; after
// "task", the tasks' ids.
func completeClose(e *Env, args []string, _ string) []string {
	var out []string
	if len(args) > 0 && args[0] == "task" {
		if len(args) == 1 {
			for _, t := range e.S.Tasks() {
				if !t.Foreground() {
					out = append(out, strconv.Itoa(t.ID)+" ")
				}
			}
		}
		return out
	}
	if len(args) == 0 {
		out = append(out, "all ", "task ")
	}
	for _, in := range e.S.Sockets().List() {
		out = append(out, strconv.Itoa(in.ID)+" ")
	}
	return out
}
