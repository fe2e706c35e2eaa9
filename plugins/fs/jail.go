package fs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Jail is a folder whose relative paths are resolved so that they cannot
// leave it: ".." components and absolute paths are refused, and symlinks on
// the existing part of a path are followed and must stay inside.
//
// The check is made before each operation; a process that swaps a folder for
// a symlink between the check and the use can still win that race.
type Jail struct {
	root string // absolute, symlinks resolved
}

// escapeError reports a path that would leave its jail.
type escapeError struct {
	root, path, why string
}

func (e *escapeError) Error() string {
	s := fmt.Sprintf("fs.jail: path escapes %s: %s", e.root, e.path)
	if e.why != "" {
		s += " (" + e.why + ")"
	}
	return s
}

// NewJail returns the jail of dir, which must be an existing folder.
func NewJail(dir string) (*Jail, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, syscall.ENOTDIR
	}
	return &Jail{root: root}, nil
}

// Root is the jail's folder, absolute with symlinks resolved.
func (j *Jail) Root() string { return j.root }

// Resolve returns the absolute path that p (relative to the jail) names, or
// an error when it would leave the jail.
func (j *Jail) Resolve(p string) (string, error) {
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) {
		return "", &escapeError{j.root, p, "absolute path"}
	}
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == filepath.Separator }) {
		if part == ".." {
			return "", &escapeError{j.root, p, ""}
		}
	}
	full := filepath.Join(j.root, p)
	// Find the longest prefix that exists, resolve its symlinks, and put the
	// rest (which does not exist yet, so holds no symlink) back on.
	existing, rest := full, ""
	for existing != j.root {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = filepath.Dir(existing)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", err
	}
	if !within(j.root, real) {
		return "", &escapeError{j.root, p, "a symlink leads to " + real}
	}
	return filepath.Join(real, rest), nil
}

// within reports whether p is root or below it.
func within(root, p string) bool {
	if p == root || root == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(p, root+string(filepath.Separator))
}
