package lesson

import (
	"sort"

	"nsh/shell"
	"nsh/shell/dot"
)

func init() {
	dot.Register(dot.Command{Name: "lesson", Usage: ".lesson [NAME ROLE [--host H] [--port P] [flags]]",
		Summary:  "run a lesson's role: a server as a background task, a client in the foreground (Ctrl-C stops it); alone: the lessons",
		Run:      dotLesson,
		Complete: completeLesson})
}

// dotLesson: .lesson NAME ROLE [flags]. A server runs as a background task so
// one shell can hold it and its clients; a client runs in the foreground,
// reading the lines typed at the terminal until Ctrl-D or Ctrl-C.
func dotLesson(e *dot.Env, args []string) error {
	if len(args) >= 2 && args[1] == "client" {
		r, err := prepareLesson(args[0], args[1], args[2:])
		if err != nil {
			return err
		}
		// named like a script's main task: its error is returned (and printed
		// once by the REPL), not reported as a background failure
		t, _, err := startLesson(e.S, r, shell.MainTaskName)
		if err != nil {
			return err
		}
		return e.Foreground(t)
	}
	return Command(e.S, args, e.Out)
}

// completeLesson offers lesson names, then the lesson's roles, then its flags.
func completeLesson(_ *dot.Env, args []string, _ string) []string {
	var out []string
	switch len(args) {
	case 0:
		lessons, _ := loadLessons()
		for _, m := range lessons {
			out = append(out, m.Name+" ")
		}
	case 1:
		if m, err := findLesson(args[0]); err == nil {
			for _, r := range m.Roles {
				out = append(out, r+" ")
			}
		}
	default:
		if m, err := findLesson(args[0]); err == nil {
			out = append(out, "--host ", "--port ")
			for f := range m.Flags {
				out = append(out, f+" ")
			}
			sort.Strings(out)
		}
	}
	return out
}
