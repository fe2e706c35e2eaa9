package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReportKeepsHandWrittenText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "perf.md")
	if err := writeReport(path, "table one\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	text := "intro by hand\n" + string(b) + "analysis by hand\n"
	os.WriteFile(path, []byte(text), 0o644)
	if err := writeReport(path, "table two\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	got := string(b)
	for _, want := range []string{"intro by hand", "analysis by hand", "table two", beginMark, endMark} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "table one") {
		t.Errorf("old table kept:\n%s", got)
	}
}

func TestListeningLine(t *testing.T) {
	for line, want := range map[string]string{
		"listening on 127.0.0.1:8081":   "8081",
		"listening on [::1]:9":          "9",
		"listening on 127.0.0.1:41391 ": "41391",
		"not yet":                       "",
	} {
		m := listeningRE.FindStringSubmatch(line)
		if (m == nil) != (want == "") || (m != nil && m[1] != want) {
			t.Errorf("%q: %v, want %q", line, m, want)
		}
	}
}

func TestUpper(t *testing.T) {
	b := []byte("abc xyz\n{}`@AZ")
	upper(b)
	if string(b) != "ABC XYZ\n{}`@AZ" {
		t.Errorf("upper: %q", b)
	}
}

func TestCommandHidesPorts(t *testing.T) {
	s := &suite{}
	s.command("nsh bench rr --port 4242 --conns 50")
	s.command("nsh bench rr --port 4343 --conns 50")
	s.command("nsh bench conns --port 1 --pid 77")
	if len(s.commands) != 2 || s.commands[0] != "nsh bench rr --port PORT --conns 50" || s.commands[1] != "nsh bench conns --port PORT --pid PID" {
		t.Errorf("commands %q", s.commands)
	}
}
