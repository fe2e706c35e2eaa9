package fs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// Atomic writes a file under a temporary name in the target's folder and
// renames it over the target only on Commit, so readers see the old file or
// the complete new one, never a part.
type Atomic struct {
	mu     sync.Mutex // tasks may share a writer; Write runs without the session lock
	f      *os.File
	target string
	n      int64
	done   bool
}

// pending are the writers neither committed nor aborted, so that
// AbortPending can remove their temporary files when the process ends.
var pending = struct {
	sync.Mutex
	m map[*Atomic]struct{}
}{m: map[*Atomic]struct{}{}}

// NewAtomic starts an atomic write of target.
func NewAtomic(target string) (*Atomic, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return nil, err
	}
	a := &Atomic{f: f, target: target}
	pending.Lock()
	pending.m[a] = struct{}{}
	pending.Unlock()
	return a, nil
}

// finish marks a done and forgets it; the caller holds a.mu.
func (a *Atomic) finish() {
	a.done = true
	pending.Lock()
	delete(pending.m, a)
	pending.Unlock()
}

// AbortPending aborts every writer not yet committed or aborted, removing
// its temporary file: the fs plugin's Exit, run when nsh ends, so that a
// writer an error dropped leaves nothing behind.
func AbortPending() {
	pending.Lock()
	list := make([]*Atomic, 0, len(pending.m))
	for a := range pending.m {
		list = append(list, a)
	}
	pending.Unlock()
	for _, a := range list {
		a.Abort()
	}
}

// Write appends p to the temporary file.
func (a *Atomic) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done {
		return 0, os.ErrClosed
	}
	n, err := a.f.Write(p)
	a.n += int64(n)
	return n, err
}

// Size is how many bytes were written.
func (a *Atomic) Size() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// Target is the path the file will have after Commit.
func (a *Atomic) Target() string { return a.target }

// Done reports whether Commit or Abort has run.
func (a *Atomic) Done() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.done
}

// Commit flushes the temporary file to disk, gives it the target's mode
// (0644 for a new file), renames it to the target and syncs the folder. On
// failure the temporary file is removed and the target is untouched.
func (a *Atomic) Commit() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done {
		return os.ErrClosed
	}
	a.finish()
	tmp := a.f.Name()
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(a.target); err == nil {
		mode = fi.Mode().Perm()
	}
	err := a.f.Chmod(mode)
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.target)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(a.target))
}

// Abort removes the temporary file.
func (a *Atomic) Abort() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done {
		return nil
	}
	a.finish()
	a.f.Close()
	return os.Remove(a.f.Name())
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// WriteFile replaces path with data atomically (see Atomic). A cancelled
// ctx before the rename leaves the target untouched.
func WriteFile(ctx context.Context, path string, data []byte) error {
	a, err := NewAtomic(path)
	if err != nil {
		return err
	}
	const chunk = 1 << 20
	for len(data) > 0 {
		if ctx.Err() != nil {
			a.Abort()
			return errInterrupted
		}
		n := min(chunk, len(data))
		if _, err := a.Write(data[:n]); err != nil {
			a.Abort()
			return err
		}
		data = data[n:]
	}
	return a.Commit()
}

// AppendFile appends data to path, creating it with mode 0644.
func AppendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
