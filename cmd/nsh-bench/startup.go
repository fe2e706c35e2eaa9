package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/creack/pty"
)

// timing is the median of several timed runs of one command.
type timing struct {
	what   string
	median time.Duration
	min    time.Duration
	runs   int
	target time.Duration // 0: no target (context only)
}

// timeCommand runs argv n times (each at most 10 s) and returns the median
// and fastest wall time from start to exit.
func timeCommand(what string, n int, argv ...string) (timing, error) {
	var ds []time.Duration
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		cancel()
		if err != nil {
			return timing{}, fmt.Errorf("%s: %v", strings.Join(argv, " "), err)
		}
		ds = append(ds, d)
	}
	return summarize(what, ds), nil
}

func summarize(what string, ds []time.Duration) timing {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return timing{what: what, median: ds[len(ds)/2], min: ds[0], runs: len(ds)}
}

// timePrompt starts nsh on a pseudo-terminal n times and measures the time
// until the REPL's prompt appears; the process is then ended by its PID.
func timePrompt(nsh string, prompt string, n int) (timing, error) {
	var ds []time.Duration
	for range n {
		d, err := promptOnce(nsh, prompt)
		if err != nil {
			return timing{}, err
		}
		ds = append(ds, d)
	}
	return summarize("REPL first prompt (pty)", ds), nil
}

func promptOnce(nsh, prompt string) (time.Duration, error) {
	cmd := exec.Command(nsh)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=xterm")
	t0 := time.Now()
	f, err := pty.Start(cmd)
	if err != nil {
		return 0, fmt.Errorf("start nsh on a pty: %v", err)
	}
	defer func() {
		cmd.Process.Kill()
		f.Close()
		cmd.Wait()
	}()
	found := make(chan time.Duration, 1)
	go func() {
		var seen bytes.Buffer
		buf := make([]byte, 4096)
		for seen.Len() < 1<<20 {
			k, err := f.Read(buf)
			seen.Write(buf[:k])
			if bytes.Contains(seen.Bytes(), []byte(prompt)) {
				found <- time.Since(t0)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case d := <-found:
		return d, nil
	case <-time.After(10 * time.Second):
		return 0, fmt.Errorf("no %q prompt from nsh on a pty within 10 s", prompt)
	}
}

// runStartup times nsh -e ” and the REPL's first prompt, with lua5.4 and
// python3 start-up for context.
func (s *suite) runStartup() {
	t, err := timeCommand("nsh -e ''", 21, s.nsh, "-e", "")
	if err != nil {
		s.note("%v", err)
	} else {
		t.target = 20 * time.Millisecond
		s.startup = append(s.startup, t)
	}
	s.command("nsh -e ''  (21 runs, median)")
	if t, err := timePrompt(s.nsh, "nsh> ", 11); err != nil {
		s.note("%v", err)
	} else {
		t.target = 50 * time.Millisecond
		s.startup = append(s.startup, t)
	}
	for _, c := range [][]string{{"lua5.4", "-e", ""}, {"python3", "-c", ""}} {
		if _, err := exec.LookPath(c[0]); err != nil {
			continue
		}
		if t, err := timeCommand(c[0]+" "+c[1]+" ''", 11, c...); err == nil {
			s.startup = append(s.startup, t)
		}
	}
}
