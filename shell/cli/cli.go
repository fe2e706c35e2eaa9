package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"

	"nsh/plugins"
	"nsh/shell"
	"nsh/shell/lesson"
	"nsh/shell/repl"
)

// subcommands are the words nsh takes before any option.
var subcommands = map[string]func(args []string, env *shell.Env) int{
	"plugins": pluginsMain,
	"lesson":  lesson.Main,
	"bench":   benchMain,
}

const usage = `usage: nsh [options] [FILE.lua [ARGS...]]
       nsh lesson list | run NAME ROLE [--host H] [--port P] [flags] | show NAME [ROLE]
       nsh plugins
       nsh bench rr|conns|bulk|udp [flags]

With no FILE, nsh opens the REPL when stdin is a terminal and otherwise runs
stdin as a script ("-" as FILE does that too).

options:
  -e CODE      run CODE (may repeat; runs before FILE)
  -i           open the REPL after running CODE or FILE
  --no-color   no colours (NO_COLOR is honoured too)
  --trace[=FILE]  trace every socket call (socket.trace): a line each and the
               bytes in hex, on stderr or in FILE (FILE.pcapng: packets)
  --max-mem SIZE  the largest value one call may make (512M, 4G, 1GiB...;
               default half the RAM; NSH_MAX_MEM too): string.rep, fs.read...
  --version    print the version
  -h, --help   print this help

exit status of a script run (FILE, -e, stdin, nsh lesson run):
  0    the script and every task it started ended without an error
  1    the main chunk or any task it started failed with an error
       nobody caught (pcall catches; so does task:join, which returns it)
  130  interrupted by Ctrl-C (SIGINT); a second Ctrl-C exits at once
  143  ended by SIGTERM (129 by SIGHUP); children of exec are killed
  N    os.exit(N)
  2    bad usage of the command line
`

// Main runs the nsh command line and returns the exit status: 0 on success,
// 1 when a script or one of its tasks raised an error, 130 on Ctrl-C, the
// code given to os.exit, 2 on bad usage.
func Main(args []string) int {
	tuneGC()
	env := &shell.Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StdinTTY:  isatty.IsTerminal(os.Stdin.Fd()),
		StdoutTTY: isatty.IsTerminal(os.Stdout.Fd()),
	}
	env.Color = env.StdoutTTY && os.Getenv("NO_COLOR") == ""
	code := run(args, env)
	plugins.RunExit() // what the closed sessions left behind: an fs.atomic writer's temp file
	return code
}

func run(args []string, env *shell.Env) int {
	var code []string
	interactive := false
	maxMem, maxMemGiven := "", false
	var trace shell.TraceFlag
	for len(args) > 0 {
		a := args[0]
		if tf, ok := shell.ParseTraceFlag(a); ok {
			trace = tf
			args = args[1:]
			continue
		}
		if a == "--no-color" || a == "-no-color" {
			env.Color = false
			args = args[1:]
			continue
		}
		if v, ok := strings.CutPrefix(a, "--max-mem="); ok || a == "--max-mem" {
			if !ok {
				if len(args) < 2 {
					fmt.Fprint(env.Stderr, "nsh: --max-mem needs a size\n\n"+usage)
					return 2
				}
				v, args = args[1], args[1:]
			}
			maxMem, maxMemGiven = v, true
			args = args[1:]
			continue
		}
		if err := setMemLimit(maxMem, maxMemGiven); err != nil {
			fmt.Fprintf(env.Stderr, "nsh: %v\n", err)
			return 2
		}
		if len(code) == 0 && !interactive {
			if sub, ok := subcommands[a]; ok {
				return sub(args[1:], env)
			}
			if a == "lesson" || a == "bench" {
				fmt.Fprintf(env.Stderr, "nsh %s: not available yet in this build\n", a)
				return 2
			}
		}
		switch {
		case a == "-h" || a == "--help" || a == "-help":
			io.WriteString(env.Stdout, usage)
			return 0
		case a == "--version" || a == "-version" || a == "-v":
			fmt.Fprintf(env.Stdout, "nsh %s\n", shell.Version)
			return 0
		case a == "-e":
			if len(args) < 2 {
				fmt.Fprint(env.Stderr, "nsh: -e needs an argument\n\n"+usage)
				return 2
			}
			code = append(code, args[1])
			args = args[2:]
			continue
		case a == "-i":
			interactive = true
			args = args[1:]
			continue
		case a == "--":
			args = args[1:]
		case a != "-" && strings.HasPrefix(a, "-"):
			fmt.Fprintf(env.Stderr, "nsh: unknown option %s\n\n%s", a, usage)
			return 2
		}
		break
	}
	if err := setMemLimit(maxMem, maxMemGiven); err != nil {
		fmt.Fprintf(env.Stderr, "nsh: %v\n", err)
		return 2
	}
	s := env.NewSession()
	defer s.Close()
	for _, err := range s.PluginErrors() {
		fmt.Fprintln(env.Stderr, s.Style("warn", err.Error()))
	}
	if err := s.StartTrace(trace); err != nil {
		fmt.Fprintf(env.Stderr, "nsh: %v\n", err)
		return 2
	}
	openREPL := false
	status := s.RunInterruptible(func() int {
		status, repl := runScripts(s, env, code, args, interactive)
		openREPL = repl
		return status
	})
	if !openREPL || s.Interrupted() {
		return status
	}
	return repl.Run(s, env)
}

// runScripts runs the -e chunks, then FILE or stdin, and returns their exit
// status, and whether the REPL opens afterwards.
func runScripts(s *shell.Session, env *shell.Env, code, args []string, interactive bool) (int, bool) {
	for i, c := range code {
		if status := s.RunSource(fmt.Sprintf("(command line -e #%d)", i+1), c, nil); status != 0 {
			return status, false
		}
	}
	switch {
	case len(args) > 0 && args[0] != "-":
		status := s.RunFile(args[0], args[1:])
		return status, status == 0 && interactive
	case len(args) > 0 || (!env.StdinTTY && !interactive):
		if len(code) > 0 && len(args) == 0 {
			return 0, false // nsh -e CODE: stdin is not read
		}
		src, err := io.ReadAll(env.Stdin)
		if err != nil {
			fmt.Fprintf(env.Stderr, "nsh: reading stdin: %v\n", err)
			return 1, false
		}
		var rest []string
		if len(args) > 1 {
			rest = args[1:]
		}
		return s.RunSource("stdin", shell.SkipShebang(string(src)), rest), false
	case len(code) > 0 && !interactive:
		return 0, false
	}
	return 0, true
}

// pluginsMain: nsh plugins — name, kind, version and summary of each plugin.
func pluginsMain(args []string, env *shell.Env) int {
	if len(args) > 0 {
		fmt.Fprintf(env.Stderr, "usage: nsh plugins\n")
		return 2
	}
	s := env.NewSession()
	defer s.Close()
	for _, err := range s.PluginErrors() {
		fmt.Fprintln(env.Stderr, s.Style("warn", err.Error()))
	}
	for _, p := range plugins.All() {
		fmt.Fprintf(env.Stdout, "%-10s %-9s %-7s %s\n", p.Name, p.Kind, p.Version, p.Summary)
		for _, c := range p.Commands {
			fmt.Fprintf(env.Stdout, "           %s  %s\n", c.Usage, c.Summary)
		}
	}
	return 0
}
