package fs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
	"nsh/plugins"
)

// Open builds the fs module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	registerTypes(L, h)
	mod := L.NewTable()
	for name, op := range pathOps {
		op := op
		full := "fs." + name
		L.SetField(mod, name, L.NewFunction(func(L *lua.LState) int {
			p := checkStr(L, 1, full, "path")
			return op(L, h, full, p, p, 2)
		}))
	}
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"join":      join,
		"basename":  func(L *lua.LState) int { return pathPart(L, "fs.basename", filepath.Base) },
		"dirname":   func(L *lua.LState) int { return pathPart(L, "fs.dirname", filepath.Dir) },
		"md5":       func(L *lua.LState) int { return hashFile(L, h, "fs.md5", "md5") },
		"sha256":    func(L *lua.LState) int { return hashFile(L, h, "fs.sha256", "sha256") },
		"md5sum":    func(L *lua.LState) int { return hashString(L, "fs.md5sum", "md5") },
		"sha256sum": func(L *lua.LState) int { return hashString(L, "fs.sha256sum", "sha256") },
		"hasher":    newHasher,
		"jail":      newJail,
	})
	return mod
}

// pathOp is an operation on one path, shared by the module and by jails:
// shown is the path as the user gave it (for stories), real the one to use,
// n the index of the first argument after the path.
type pathOp func(L *lua.LState, h plugins.Host, op, shown, real string, n int) int

// pathOps are the operations a jail offers too.
var pathOps = map[string]pathOp{
	"read":   read,
	"write":  write,
	"append": appendOp,
	"atomic": atomicOp,
	"stat":   stat,
	"list":   list,
	"mkdir":  mkdir,
	"remove": remove,
	"exists": exists,
}

// read is fs.read(path) -> string | nil, err, story.
func read(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	var max int64
	switch o := L.Get(n).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		o.ForEach(func(k, v lua.LValue) {
			if k.String() != "max" {
				L.RaiseError("%s: unknown option %q (max)", op, k.String())
			}
			f, isNum := v.(lua.LNumber)
			if !isNum || f < 1 || float64(f) != float64(int64(f)) {
				L.RaiseError("%s: option max must be a whole number of bytes >= 1, got %s", op, v.String())
			}
			max = int64(f)
		})
	default:
		L.RaiseError("%s: argument #%d (options) must be a table, got %s", op, n, o.Type())
	}
	var data []byte
	err := block(L, h, func(ctx context.Context) error {
		f, err := openCtx(ctx, real)
		if err != nil {
			return err
		}
		defer f.Close()
		// Ctrl-C or task:cancel closes the file, which wakes a read
		// waiting on a pipe or a FIFO; ReadAll stops between reads.
		stop := context.AfterFunc(ctx, func() { f.Close() })
		defer stop()
		data, err = memguard.ReadAll(ctx, f, op+" "+shown, max)
		if err != nil && ctx.Err() != nil {
			return errInterrupted
		}
		return err
	})
	var tooLong *memguard.TooLongError
	if errors.As(err, &tooLong) {
		L.Push(lua.LNil)
		L.Push(lua.LString("file too large"))
		L.Push(lua.LString(tooLong.Error()))
		return 3
	}
	if err != nil {
		return fail(L, op, shown, err)
	}
	L.Push(lua.LString(data))
	return 1
}

// openCtx opens path for reading, giving up when ctx is done: opening a
// FIFO waits for a writer, and Ctrl-C must not wait with it (the open goes
// on in the background and its file is closed when it returns).
func openCtx(ctx context.Context, path string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, errInterrupted
	}
}

// write is fs.write(path, data) -> true | nil, err, story (atomic).
func write(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	data := checkStr(L, n, op, "data")
	err := block(L, h, func(ctx context.Context) error { return WriteFile(ctx, real, []byte(data)) })
	if err != nil {
		return fail(L, op, shown, err)
	}
	return ok(L)
}

// appendOp is fs.append(path, data) -> true | nil, err, story.
func appendOp(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	data := checkStr(L, n, op, "data")
	err := block(L, h, func(ctx context.Context) error { return AppendFile(real, []byte(data)) })
	if err != nil {
		return fail(L, op, shown, err)
	}
	return ok(L)
}

// stat is fs.stat(path) -> {size, mode, perm, mtime, isdir, isfile, islink} | nil, err, story.
func stat(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	fi, err := os.Stat(real)
	if err != nil {
		return fail(L, op, shown, err)
	}
	t := L.NewTable()
	t.RawSetString("size", lua.LNumber(fi.Size()))
	t.RawSetString("mode", lua.LNumber(fi.Mode().Perm()))
	t.RawSetString("perm", lua.LString(fi.Mode().String()))
	t.RawSetString("mtime", lua.LNumber(float64(fi.ModTime().UnixNano())/1e9))
	t.RawSetString("isdir", lua.LBool(fi.IsDir()))
	t.RawSetString("isfile", lua.LBool(fi.Mode().IsRegular()))
	lfi, err := os.Lstat(real)
	t.RawSetString("islink", lua.LBool(err == nil && lfi.Mode()&os.ModeSymlink != 0))
	L.Push(t)
	return 1
}

// list is fs.list(dir) -> {names...} | nil, err, story (sorted).
func list(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	entries, err := os.ReadDir(real)
	if err != nil {
		return fail(L, op, shown, err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	sort.Strings(names)
	t := L.CreateTable(len(names), 0)
	for _, name := range names {
		t.Append(lua.LString(name))
	}
	L.Push(t)
	return 1
}

// mkdir is fs.mkdir(path[, {parents=true}]) -> true | nil, err, story.
func mkdir(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	var err error
	if checkFlag(L, n, op, "parents") {
		err = os.MkdirAll(real, 0o755)
	} else {
		err = os.Mkdir(real, 0o755)
	}
	if err != nil {
		return fail(L, op, shown, err)
	}
	return ok(L)
}

// remove is fs.remove(path[, {recursive=true}]) -> true | nil, err, story.
func remove(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	recursive := checkFlag(L, n, op, "recursive")
	err := block(L, h, func(ctx context.Context) error {
		if recursive {
			if _, err := os.Lstat(real); err != nil {
				return err
			}
			return os.RemoveAll(real)
		}
		return os.Remove(real)
	})
	if err != nil {
		return fail(L, op, shown, err)
	}
	return ok(L)
}

// exists is fs.exists(path) -> boolean.
func exists(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	_, err := os.Stat(real)
	L.Push(lua.LBool(err == nil))
	return 1
}

// join is fs.join(part, ...) -> path.
func join(L *lua.LState) int {
	if L.GetTop() == 0 {
		L.RaiseError("fs.join: needs at least one path part")
	}
	parts := make([]string, L.GetTop())
	for i := range parts {
		parts[i] = checkStr(L, i+1, "fs.join", "part")
	}
	L.Push(lua.LString(filepath.Join(parts...)))
	return 1
}

// pathPart is fs.basename(path) -> string and fs.dirname(path) -> string.
func pathPart(L *lua.LState, op string, fn func(string) string) int {
	L.Push(lua.LString(fn(checkStr(L, 1, op, "path"))))
	return 1
}

// hashFile is fs.md5(path) / fs.sha256(path) -> hex | nil, err, story.
func hashFile(L *lua.LState, h plugins.Host, op, alg string) int {
	p := checkStr(L, 1, op, "path")
	var sum string
	err := block(L, h, func(ctx context.Context) error {
		var err error
		sum, err = HashFile(ctx, alg, p)
		return err
	})
	if err != nil {
		return fail(L, op, p, err)
	}
	L.Push(lua.LString(sum))
	return 1
}

// hashString is fs.md5sum(s) / fs.sha256sum(s) -> hex.
func hashString(L *lua.LState, op, alg string) int {
	L.Push(lua.LString(HashString(alg, checkStr(L, 1, op, "s"))))
	return 1
}
