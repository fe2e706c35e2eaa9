package plugins_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// pluginFolders lists the folders under plugins/ that hold a plugin: every
// folder with Go files except plugintest and all.
func pluginFolders(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "plugintest" || e.Name() == "all" {
			continue
		}
		goFiles, _ := filepath.Glob(filepath.Join(e.Name(), "*.go"))
		if len(goFiles) > 0 {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("no plugin folders found")
	}
	return out
}

// TestEveryPluginFolder checks that each plugin folder is imported by
// plugins/all, registers itself under its folder's name with help entries,
// has tests and a README laid out like the others.
func TestEveryPluginFolder(t *testing.T) {
	imported := allImports(t)
	for _, name := range pluginFolders(t) {
		t.Run(name, func(t *testing.T) {
			if !imported["nsh/plugins/"+name] {
				t.Errorf("plugins/all/all.go does not import nsh/plugins/%s", name)
			}
			if tests, _ := filepath.Glob(filepath.Join(name, "*_test.go")); len(tests) == 0 {
				t.Errorf("plugins/%s has no *_test.go file", name)
			}
			checkREADME(t, name)
			p, ok := plugins.Get(name)
			if !ok {
				t.Fatalf("no plugin registered under the folder's name %q", name)
			}
			if p.Summary == "" || p.Version == "" {
				t.Errorf("summary %q, version %q: both are needed", p.Summary, p.Version)
			}
			if len(p.Help) == 0 {
				t.Errorf("no Help entries")
			}
			for _, h := range p.Help {
				if h.Name == "" || h.Signature == "" || h.Summary == "" || h.Example == "" {
					t.Errorf("help entry %q needs Name, Signature, Summary and Example: %+v", h.Name, h)
				}
			}
		})
	}
}

// allImports returns the import paths of plugins/all/all.go.
func allImports(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("all", "all.go"), nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var prev string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if path < prev {
			t.Errorf("plugins/all/all.go: %s is not in sorted order (after %s)", path, prev)
		}
		prev = path
		out[path] = true
	}
	return out
}

// wantSections are the headings every plugin README has, in this order.
var wantSections = []string{"# NAME", "## Functions", "## Example", "## Errors", "## Compared with "}

// checkREADME checks the headings (outside code blocks) of a plugin's
// README, the summary paragraph under the title, and the Lua example.
func checkREADME(t *testing.T, name string) {
	t.Helper()
	path := filepath.Join(name, "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("plugins/%s has no README.md", name)
		return
	}
	var headings []string
	summary := false
	inCode := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		switch {
		case inCode:
		case strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "## "):
			headings = append(headings, line)
		case len(headings) == 1 && strings.TrimSpace(line) != "":
			summary = true
		}
	}
	ok := len(headings) == len(wantSections)
	for i := 0; ok && i < len(headings); i++ {
		want := strings.Replace(wantSections[i], "NAME", name, 1)
		if strings.HasSuffix(want, " ") {
			ok = strings.HasPrefix(headings[i], want) && len(headings[i]) > len(want)
		} else {
			ok = headings[i] == want
		}
	}
	if !ok {
		t.Errorf("%s: headings %q, want # %s, ## Functions, ## Example, ## Errors, ## Compared with <counterpart>", path, headings, name)
	}
	if !summary {
		t.Errorf("%s: no summary paragraph under the title", path)
	}
	if code, _ := plugintest.READMEExample(t, path); strings.TrimSpace(code) == "" {
		t.Errorf("%s: the example is empty", path)
	}
}

// goList runs the go command in the module and returns its output.
func goList(t *testing.T, args ...string) []byte {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not in $PATH")
	}
	cmd := exec.Command(gobin, append([]string{"list"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestNetcoreStandsAlone: netcore imports no other nsh package and no Lua.
func TestNetcoreStandsAlone(t *testing.T) {
	for _, dep := range strings.Fields(string(goList(t, "-deps", "nsh/netcore"))) {
		if strings.HasPrefix(dep, "nsh/") && dep != "nsh/netcore" || strings.Contains(dep, "gopher-lua") {
			t.Errorf("nsh/netcore depends on %s", dep)
		}
	}
}

// TestCaptureStandsAlone: the packet-capture package, shared by the socket
// and packet plugins and the shell, imports no nsh package and no Lua, so
// any of them may use it (and netcore stays free of gopacket).
func TestCaptureStandsAlone(t *testing.T) {
	for _, dep := range strings.Fields(string(goList(t, "-deps", "nsh/capture"))) {
		if strings.HasPrefix(dep, "nsh/") && dep != "nsh/capture" || strings.Contains(dep, "gopher-lua") {
			t.Errorf("nsh/capture depends on %s", dep)
		}
	}
	for _, dep := range strings.Fields(string(goList(t, "-deps", "nsh/netcore"))) {
		if strings.Contains(dep, "gopacket") {
			t.Errorf("nsh/netcore depends on %s", dep)
		}
	}
}

// pkgImports are a package's imports as go list tells them.
type pkgImports struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

// listImports returns the imports of the packages matching pattern.
func listImports(t *testing.T, pattern string) []pkgImports {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(goList(t, "-json", pattern)))
	var out []pkgImports
	for dec.More() {
		var pkg pkgImports
		if err := dec.Decode(&pkg); err != nil {
			t.Fatal(err)
		}
		out = append(out, pkg)
	}
	return out
}

// TestPluginImports: no package under plugins/ imports the shell, the
// command, or another plugin's folder (tests may use plugintest; the
// registry's own tests may use plugins/all).
func TestPluginImports(t *testing.T) {
	n := 0
	for _, pkg := range listImports(t, "nsh/plugins/...") {
		n++
		own := pluginFolder(pkg.ImportPath)
		check := func(imports []string, xtest bool) {
			for _, imp := range imports {
				switch {
				case strings.HasPrefix(imp, "nsh/shell") || strings.HasPrefix(imp, "nsh/cmd"):
					t.Errorf("%s imports %s", pkg.ImportPath, imp)
				case !strings.HasPrefix(imp, "nsh/plugins/"):
				case imp == "nsh/plugins/plugintest", pluginFolder(imp) == own, pkg.ImportPath == "nsh/plugins/all":
				case pkg.ImportPath == "nsh/plugins" && xtest && imp == "nsh/plugins/all":
				default:
					t.Errorf("%s imports another plugin: %s", pkg.ImportPath, imp)
				}
			}
		}
		check(pkg.Imports, false)
		check(pkg.TestImports, false)
		check(pkg.XTestImports, true)
	}
	if n < 3 {
		t.Errorf("go list found only %d packages under nsh/plugins", n)
	}
}

// pluginFolder is the first folder below nsh/plugins/ of an import path.
func pluginFolder(path string) string {
	rest, ok := strings.CutPrefix(path, "nsh/plugins/")
	if !ok {
		return ""
	}
	folder, _, _ := strings.Cut(rest, "/")
	return folder
}

// shellLayers are the shell's packages from the bottom up: each may import
// only the ones before it (its tests too), so the session never depends on
// its REPL and a change to the REPL cannot break a script run. A package
// under shell/ that is not listed fails the test until it is given a place.
var shellLayers = []string{
	"nsh/shell/help",    // the help registry: plugins.Help entries, names of values
	"nsh/shell/printer", // values, errors and hex as the prompt shows them; colour
	"nsh/shell/wire",    // the session's packet capture: live lines, pcapng files
	"nsh/shell",         // the session: Lua state, lock, tasks, stdio, script runs
	"nsh/shell/dot",     // the dot-commands' registry and the built-in ones
	"nsh/shell/repl",    // the prompt: line editor, eval, completion, hints, history
	"nsh/shell/lesson",  // the lesson runner and its .lesson command
	"nsh/shell/cli",     // the command line: options, subcommands, docs/API.md
}

// TestShellImportsGoOneWay: no package of the shell imports one above it,
// cmd/nsh reaches the shell only through shell/cli, and nothing outside
// shell/, cmd/ and tests/ imports the shell.
func TestShellImportsGoOneWay(t *testing.T) {
	rank := map[string]int{}
	for i, p := range shellLayers {
		rank[p] = i
	}
	isShell := func(p string) bool { return p == "nsh/shell" || strings.HasPrefix(p, "nsh/shell/") }
	seen := 0
	for _, pkg := range listImports(t, "nsh/...") {
		all := append(append(append([]string{}, pkg.Imports...), pkg.TestImports...), pkg.XTestImports...)
		own, inShell := rank[pkg.ImportPath]
		switch {
		case isShell(pkg.ImportPath) && !inShell:
			t.Errorf("%s is not in shellLayers (plugins/layout_test.go): give it a place in the order", pkg.ImportPath)
		case inShell:
			seen++
			for _, imp := range all {
				if r, ok := rank[imp]; ok && r >= own && imp != pkg.ImportPath {
					t.Errorf("%s imports %s, which sits above it (shellLayers)", pkg.ImportPath, imp)
				}
			}
		case pkg.ImportPath == "nsh/cmd/nsh" || pkg.ImportPath == "nsh/cmd/nsh-bench":
			for _, imp := range all {
				if isShell(imp) && imp != "nsh/shell/cli" {
					t.Errorf("%s imports %s; the command reaches the shell through nsh/shell/cli", pkg.ImportPath, imp)
				}
			}
		case strings.HasPrefix(pkg.ImportPath, "nsh/tests/"):
		default:
			for _, imp := range all {
				if isShell(imp) {
					t.Errorf("%s imports %s: only cmd/ and tests/ sit above the shell", pkg.ImportPath, imp)
				}
			}
		}
	}
	if seen != len(shellLayers) {
		t.Errorf("go list found %d of the %d shell packages", seen, len(shellLayers))
	}
}
