package repl

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// historyLimit is how many entries the history file keeps.
const historyLimit = 1000

// historyPath returns the history file: $NSH_HISTORY, or ~/.nsh_history.
// NSH_HISTORY set to "" turns the file off ("" returned).
func historyPath() string {
	if p, ok := os.LookupEnv("NSH_HISTORY"); ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".nsh_history")
}

// history is the REPL's list of entries (what .history shows); the line
// editor keeps the file itself.
type history struct {
	mu    sync.Mutex
	lines []string
}

// loadHistory reads the entries already in path (none when it is missing).
func loadHistory(path string) *history {
	h := &history{}
	if path == "" {
		return h
	}
	f, err := os.Open(path)
	if err != nil {
		return h
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if l := sc.Text(); strings.TrimSpace(l) != "" {
			h.lines = append(h.lines, l)
		}
	}
	if len(h.lines) > historyLimit {
		h.lines = h.lines[len(h.lines)-historyLimit:]
	}
	return h
}

func (h *history) add(line string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.lines); n > 0 && h.lines[n-1] == line {
		return
	}
	h.lines = append(h.lines, line)
}

// last returns up to n of the latest entries and the number of the first.
func (h *history) last(n int) ([]string, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	start := len(h.lines) - n
	if n <= 0 || start < 0 {
		start = 0
	}
	return append([]string(nil), h.lines[start:]...), start + 1
}

// historyEntries turns a chunk into history entries: a multi-line chunk
// becomes one line when joining its lines cannot change its meaning (no
// comments, no long strings), otherwise one entry per line.
func historyEntries(src string) []string {
	src = strings.TrimSpace(src)
	if src == "" {
		return nil
	}
	if !strings.Contains(src, "\n") {
		return []string{src}
	}
	if strings.Contains(src, "--") || strings.Contains(src, "[[") || strings.Contains(src, "[=") {
		var out []string
		for _, l := range strings.Split(src, "\n") {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		return out
	}
	lines := strings.Split(src, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return []string{strings.Join(lines, " ")}
}
