package lesson

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"nsh/scripts"
	"nsh/shell"
	"nsh/shell/wire"
)

// lessonMeta is a lesson's meta.json (see docs/lessons.md and
// scripts/lessons/*/meta.json).
type lessonMeta struct {
	Name    string            `json:"name"`
	Number  int               `json:"number"` // its number in the LESSONS.md inventory (orders the list)
	Seed    string            `json:"seed"`
	Title   string            `json:"title"`
	Summary string            `json:"summary"`
	Roles   []string          `json:"roles"`
	Proto   string            `json:"proto"`
	Host    string            `json:"host"`
	Port    int               `json:"port"`
	Flags   map[string]string `json:"flags"` // "--dir": "what it does (default ...)"
	// Files maps a role to a script of another lesson ("tcp-upper/client.lua")
	// when the role reuses it; by default a role's script is ROLE.lua.
	Files map[string]string `json:"files"`
}

const lessonsRoot = "lessons"

// script returns the embedded path of role's script.
func (m *lessonMeta) script(role string) string {
	if f, ok := m.Files[role]; ok {
		return path.Join(lessonsRoot, f)
	}
	return path.Join(lessonsRoot, m.Name, role+".lua")
}

func (m *lessonMeta) hasRole(role string) bool {
	for _, r := range m.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// loadLessons reads every lesson's meta.json from the embedded scripts,
// sorted by inventory number, seed and name. A broken meta.json is returned
// as an error and left out.
func loadLessons() ([]*lessonMeta, []error) {
	entries, err := fs.ReadDir(scripts.Lessons, lessonsRoot)
	if err != nil {
		return nil, []error{fmt.Errorf("lessons: %v", err)}
	}
	var out []*lessonMeta
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "lib" {
			continue
		}
		m, err := readLessonMeta(e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		if a.Seed != b.Seed {
			return a.Seed < b.Seed
		}
		return a.Name < b.Name
	})
	return out, errs
}

func readLessonMeta(dir string) (*lessonMeta, error) {
	file := path.Join(lessonsRoot, dir, "meta.json")
	data, err := scripts.Lessons.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("lesson %s: %v", dir, err)
	}
	var m lessonMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("lesson %s: %s: %v", dir, file, err)
	}
	switch {
	case m.Name != dir:
		return nil, fmt.Errorf("lesson %s: meta.json names it %q", dir, m.Name)
	case len(m.Roles) == 0:
		return nil, fmt.Errorf("lesson %s: meta.json lists no roles", dir)
	case m.Port < 0 || m.Port > 65535:
		return nil, fmt.Errorf("lesson %s: meta.json port %d out of range", dir, m.Port)
	}
	if m.Host == "" {
		m.Host = "127.0.0.1"
	}
	return &m, nil
}

// findLesson returns the lesson called name.
func findLesson(name string) (*lessonMeta, error) {
	if name == "" || name == "lib" || strings.ContainsAny(name, "/\\.") {
		return nil, fmt.Errorf("no lesson %q (nsh lesson list shows them)", name)
	}
	m, err := readLessonMeta(name)
	if err != nil {
		if _, statErr := fs.Stat(scripts.Lessons, path.Join(lessonsRoot, name)); statErr != nil {
			return nil, fmt.Errorf("no lesson %q (nsh lesson list shows them)", name)
		}
		return nil, err
	}
	return m, nil
}

const lessonUsage = `usage: nsh lesson list
       nsh lesson run NAME ROLE [--host H] [--port P] [--trace[=FILE]] [--capture [FILE.pcapng]] [lesson flags...]
       nsh lesson show NAME [ROLE]
`

// Main is `nsh lesson ...`: list, run or show the bundled lessons.
func Main(args []string, env *shell.Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, lessonUsage)
		return 2
	}
	switch args[0] {
	case "list":
		if len(args) != 1 {
			fmt.Fprint(env.Stderr, lessonUsage)
			return 2
		}
		return lessonList(env)
	case "show":
		return lessonShow(args[1:], env)
	case "run":
		return lessonRunMain(args[1:], env)
	case "-h", "--help", "help":
		io.WriteString(env.Stdout, lessonUsage)
		return 0
	}
	fmt.Fprintf(env.Stderr, "nsh lesson: unknown command %q\n%s", args[0], lessonUsage)
	return 2
}

// lessonList prints one line per lesson: name, seed, roles, default port, title.
func lessonList(env *shell.Env) int {
	lessons, errs := loadLessons()
	for _, err := range errs {
		fmt.Fprintln(env.Stderr, "nsh lesson:", err)
	}
	rolesWidth := 14 // "server,client", or a lesson's longer list, so the columns line up
	for _, m := range lessons {
		rolesWidth = max(rolesWidth, len(strings.Join(m.Roles, ",")))
	}
	for _, m := range lessons {
		port := m.Proto + "/" + strconv.Itoa(m.Port)
		fmt.Fprintf(env.Stdout, "%-16s %-25s %-*s %-9s %s\n", m.Name, m.Seed, rolesWidth, strings.Join(m.Roles, ","), port, m.Title)
	}
	return 0 // a broken lesson is reported above and left out; the rest are listed
}

// lessonShow prints a role's source, or every role's with a heading each.
func lessonShow(args []string, env *shell.Env) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprint(env.Stderr, lessonUsage)
		return 2
	}
	m, err := findLesson(args[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, "nsh lesson show:", err)
		return 2
	}
	roles := m.Roles
	if len(args) == 2 {
		if !m.hasRole(args[1]) {
			fmt.Fprintf(env.Stderr, "nsh lesson show: lesson %s has no role %q (roles: %s)\n", m.Name, args[1], strings.Join(m.Roles, ", "))
			return 2
		}
		roles = args[1:]
	}
	for i, role := range roles {
		src, err := scripts.Lessons.ReadFile(m.script(role))
		if err != nil {
			fmt.Fprintln(env.Stderr, "nsh lesson show:", err)
			return 1
		}
		if len(roles) > 1 {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprintf(env.Stdout, "-- ==> scripts/%s (%s) <==\n", m.script(role), role)
		}
		env.Stdout.Write(src)
	}
	return 0
}

// lessonRunMain is `nsh lesson run NAME ROLE [flags]`: it runs the role as the
// session's script and returns its exit status.
func lessonRunMain(args []string, env *shell.Env) int {
	if len(args) < 1 {
		fmt.Fprint(env.Stderr, lessonUsage)
		return 2
	}
	m, err := findLesson(args[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, "nsh lesson run:", err)
		return 2
	}
	role, rest := "", args[1:]
	switch {
	case len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help"):
		io.WriteString(env.Stdout, lessonHelp(m, ""))
		return 0
	case len(rest) > 0 && !strings.HasPrefix(rest[0], "-"):
		role, rest = rest[0], rest[1:]
	case len(m.Roles) == 1:
		role = m.Roles[0]
	default:
		fmt.Fprintf(env.Stderr, "nsh lesson run: which role of %s? (%s)\n", m.Name, strings.Join(m.Roles, ", "))
		return 2
	}
	rest, captureFile, captureOn, err := wire.LessonFlag(rest)
	if err != nil {
		fmt.Fprintf(env.Stderr, "nsh lesson run: %v\n", err)
		return 2
	}
	run, err := newLessonRun(m, role, rest)
	if err == errLessonHelp {
		io.WriteString(env.Stdout, lessonHelp(m, role))
		return 0
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "nsh lesson run: %v\n\n%s", err, lessonHelp(m, role))
		return 2
	}
	s := env.NewSession()
	defer s.Close()
	for _, err := range s.PluginErrors() {
		fmt.Fprintln(env.Stderr, s.Style("warn", err.Error()))
	}
	if captureOn {
		stop, err := wire.ForLesson(s, captureFile)
		if err != nil {
			fmt.Fprintf(env.Stderr, "nsh lesson run: %s\n", s.Style("error", err.Error()))
			return 1
		}
		defer stop()
		defer s.Sockets().CloseAll() // before stop: the capture shows the last FIN
	}
	return s.RunInterruptible(func() int { return runLesson(s, run) })
}

// lessonHelp describes a lesson's command line and flags.
func lessonHelp(m *lessonMeta, role string) string {
	var b strings.Builder
	if role == "" {
		role = strings.Join(m.Roles, "|")
	}
	fmt.Fprintf(&b, "usage: nsh lesson run %s %s [--host H] [--port P] [--trace[=FILE]] [--capture [FILE.pcapng]] [flags]\n", m.Name, role)
	if m.Summary != "" {
		fmt.Fprintf(&b, "%s\n", m.Summary)
	}
	fmt.Fprintf(&b, "seed %s; roles %s; %s, default %s port %d\n", m.Seed, strings.Join(m.Roles, ", "), m.Proto, m.Host, m.Port)
	b.WriteString("flags:\n")
	fmt.Fprintf(&b, "  %-16s %s\n", "--host H", "address to bind or connect to (default "+m.Host+")")
	fmt.Fprintf(&b, "  %-16s %s\n", "--port P", "port (default "+strconv.Itoa(m.Port)+"; 0 lets a server pick a free one)")
	fmt.Fprintf(&b, "  %-16s %s\n", "--trace[=FILE]", "trace every socket call (on stderr, or FILE; FILE.pcapng: packets)")
	fmt.Fprintf(&b, "  %-16s %s\n", "--capture [FILE]", "the real packets on lo, one line each, or written to FILE.pcapng (root or CAP_NET_RAW)")
	names := make([]string, 0, len(m.Flags))
	for k := range m.Flags {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, "  %-16s %s\n", k, m.Flags[k])
	}
	return b.String()
}
