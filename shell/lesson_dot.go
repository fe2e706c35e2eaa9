package shell

import "sort"

func init() {
	registerDotCommand(dotCommand{Name: "lesson", Usage: ".lesson [NAME ROLE [--host H] [--port P] [flags]]",
		Summary:  "run a lesson's role as a background task (a server while you play the client); alone: the lessons",
		Run:      func(e *dotEnv, args []string) error { return e.S.LessonCommand(args, e.Out) },
		Complete: completeLesson})
}

// completeLesson offers lesson names, then the lesson's roles, then its flags.
func completeLesson(_ *dotEnv, args []string, _ string) []string {
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
