package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nsh/shell/help"
)

// TestAPIDocs regenerates docs/API.md in memory from the help registry and
// fails when the committed file is stale.
func TestAPIDocs(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAPIDocs(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "API.md")
	if os.Getenv("UPDATE_API_DOCS") != "" {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("docs/API.md: %v; generate it with: %s", err, apiDocsCommand)
	}
	if !bytes.Equal(old, b.Bytes()) {
		t.Fatalf("docs/API.md is stale (a plugin's help changed); regenerate it with: %s", apiDocsCommand)
	}
}

// TestHelpEntriesComplete checks every documented function has a
// signature, a one-line summary and an example, and that names are unique.
func TestHelpEntriesComplete(t *testing.T) {
	seen := map[string]string{}
	for _, e := range help.Entries() {
		var missing []string
		if e.Signature == "" {
			missing = append(missing, "signature")
		}
		if e.Summary == "" || strings.Contains(e.Summary, "\n") {
			missing = append(missing, "one-line summary")
		}
		if e.Example == "" {
			missing = append(missing, "example")
		}
		if len(missing) > 0 {
			t.Errorf("plugin %s: help for %s lacks %s", e.Plugin, e.Name, strings.Join(missing, ", "))
		}
		if p, dup := seen[e.Name]; dup {
			t.Errorf("help name %s is documented by both %s and %s", e.Name, p, e.Plugin)
		}
		seen[e.Name] = e.Plugin
	}
}
