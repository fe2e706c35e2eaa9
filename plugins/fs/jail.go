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
	full, err := realPath(filepath.Join(j.root, p), 0)
	if err != nil {
		return "", err
	}
	if !within(j.root, full) {
		return "", &escapeError{j.root, p, "a symlink leads to " + full}
	}
	return full, nil
}

// maxLinks bounds how many dangling symlinks realPath follows by hand, as
// the kernel's ELOOP limit does.
const maxLinks = 40

// realPath resolves the symlinks of the longest existing prefix of the
// absolute path full and puts the rest (which does not exist, so holds no
// symlink) back on. A dangling symlink is followed by hand, so that one
// pointing out of a jail is reported as such and one pointing inside can be
// created through.
func realPath(full string, hops int) (string, error) {
	existing, rest := full, ""
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		target, lerr := os.Readlink(existing)
		if lerr != nil {
			return "", err
		}
		if hops >= maxLinks {
			return "", syscall.ELOOP
		}
		dir, derr := filepath.EvalSymlinks(filepath.Dir(existing))
		if derr != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		if real, err = realPath(filepath.Clean(target), hops+1); err != nil {
			return "", err
		}
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
