package socket

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// recvTarget is where recvfile writes: the file itself (append, or a path
// that is no regular file, such as /dev/null or a fifo), or a hidden
// temporary file beside it that commit renames over the path once the
// transfer is complete, so a failed or cancelled transfer never leaves a
// truncated file where the old one was (the project's "no data is lost").
type recvTarget struct {
	f    *os.File
	path string // what commit makes complete (the symlink's target if path was a link)
	tmp  string // the temporary name; "" when f is path itself
	done bool
}

// openRecvTarget opens path for recvfile. A new file gets 0644 (less the
// umask), the mode recvfile always gave it; a replaced file keeps its mode.
func openRecvTarget(path string, appendTo bool) (*recvTarget, error) {
	if appendTo {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		return &recvTarget{f: f, path: path}, err
	}
	final, mode := path, fs.FileMode(0)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
			return &recvTarget{f: f, path: path}, err
		}
		mode = st.Mode().Perm()
		if real, err := filepath.EvalSymlinks(path); err == nil {
			final = real // write through a link, as opening it did, not over it
		}
	}
	dir, base := filepath.Split(final)
	for range 100 {
		var rnd [6]byte
		rand.Read(rnd[:])
		tmp := filepath.Join(dir, "."+base+".recvfile-"+hex.EncodeToString(rnd[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if mode != 0 {
			if err := f.Chmod(mode); err != nil {
				f.Close()
				os.Remove(tmp)
				return nil, err
			}
		}
		return &recvTarget{f: f, path: final, tmp: tmp}, nil
	}
	return nil, fs.ErrExist
}

// commit makes the received bytes the file: with a temporary file, sync,
// close and rename it over the path (then sync the directory, so the
// rename survives a crash too).
func (t *recvTarget) commit() error {
	if t.tmp == "" {
		t.done = true
		return t.f.Close()
	}
	err := t.f.Sync()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.tmp, t.path)
	}
	if err != nil {
		os.Remove(t.tmp)
		t.done = true
		return err
	}
	t.done = true
	if d, err := os.Open(filepath.Dir(t.path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// discard closes the file and, unless commit ran, removes the temporary
// file (the old path stays as it was). Safe to call twice (it is deferred).
func (t *recvTarget) discard() {
	if t.done {
		return
	}
	t.done = true
	t.f.Close()
	if t.tmp != "" {
		os.Remove(t.tmp)
	}
}
