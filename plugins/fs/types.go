package fs

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash"
	"runtime"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

const (
	hasherType = "fs.hasher"
	atomicType = "fs.atomic"
	jailType   = "fs.jail"
)

// registerTypes makes the metatables of hashers, atomic writers and jails.
func registerTypes(L *lua.LState, h plugins.Host) {
	mt := L.NewTypeMetatable(hasherType)
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"update": hasherUpdate,
		"hexdigest": func(L *lua.LState) int {
			L.Push(lua.LString(hex.EncodeToString(checkHasher(L, "h:hexdigest").h.Sum(nil))))
			return 1
		},
		"digest": func(L *lua.LState) int { L.Push(lua.LString(checkHasher(L, "h:digest").h.Sum(nil))); return 1 },
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("hasher " + checkHasher(L, "tostring").alg))
		return 1
	}))

	mt = L.NewTypeMetatable(atomicType)
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"write":  func(L *lua.LState) int { return atomicWrite(L, h) },
		"commit": func(L *lua.LState) int { return atomicCommit(L, h) },
		"abort":  atomicAbort,
		"size":   func(L *lua.LState) int { L.Push(lua.LNumber(checkAtomic(L, "w:size").a.Size())); return 1 },
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		w := checkAtomic(L, "tostring")
		state := "open"
		if w.a.Done() {
			state = "finished"
		}
		L.Push(lua.LString(fmt.Sprintf("atomic writer %s (%d bytes, %s)", w.shown, w.a.Size(), state)))
		return 1
	}))

	mt = L.NewTypeMetatable(jailType)
	methods := map[string]lua.LGFunction{
		"resolve": jailResolve,
		"root":    func(L *lua.LState) int { L.Push(lua.LString(checkJail(L, "j:root").Root())); return 1 },
	}
	for name, op := range pathOps {
		op, full := op, "jail:"+name
		methods[name] = func(L *lua.LState) int {
			j := checkJail(L, full)
			p := checkStr(L, 2, full, "path")
			real, err := j.Resolve(p)
			if err != nil {
				if name == "exists" {
					L.Push(lua.LFalse)
					return 1
				}
				return fail(L, full, p, err)
			}
			return op(L, h, full, p, real, 3)
		}
	}
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), methods))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("jail " + checkJail(L, "tostring").Root()))
		return 1
	}))
}

type hasher struct {
	alg string
	h   hash.Hash
}

// newHasher is fs.hasher(alg) -> hasher.
func newHasher(L *lua.LState) int {
	alg := checkStr(L, 1, "fs.hasher", "algorithm")
	hh := newHash(alg)
	if hh == nil {
		L.RaiseError("fs.hasher: argument #1 (algorithm): unknown hash %q (want md5, sha1, sha256, sha512)", alg)
	}
	ud := L.NewUserData()
	ud.Value = &hasher{alg, hh}
	L.SetMetatable(ud, L.GetTypeMetatable(hasherType))
	L.Push(ud)
	return 1
}

func checkHasher(L *lua.LState, op string) *hasher {
	if ud, isUD := L.Get(1).(*lua.LUserData); isUD {
		if v, isH := ud.Value.(*hasher); isH {
			return v
		}
	}
	L.RaiseError("%s: method called without a hasher (use h:method(), not h.method())", op)
	return nil
}

// hasherUpdate is h:update(s) -> h.
func hasherUpdate(L *lua.LState) int {
	hs := checkHasher(L, "h:update")
	hs.h.Write([]byte(checkStr(L, 2, "h:update", "s")))
	L.Push(L.Get(1))
	return 1
}

type atomicWriter struct {
	a     *Atomic
	shown string
}

// atomicOp is fs.atomic(path) -> writer | nil, err, story.
func atomicOp(L *lua.LState, h plugins.Host, op, shown, real string, n int) int {
	a, err := NewAtomic(real)
	if err != nil {
		return fail(L, op, shown, err)
	}
	w := &atomicWriter{a, shown}
	// A writer dropped before commit or abort (an error unwound past it)
	// removes its temporary file once collected; those still pending when
	// nsh ends are aborted by the plugin's Exit.
	runtime.AddCleanup(w, func(a *Atomic) { a.Abort() }, a)
	ud := L.NewUserData()
	ud.Value = w
	L.SetMetatable(ud, L.GetTypeMetatable(atomicType))
	L.Push(ud)
	return 1
}

func checkAtomic(L *lua.LState, op string) *atomicWriter {
	if ud, isUD := L.Get(1).(*lua.LUserData); isUD {
		if v, isW := ud.Value.(*atomicWriter); isW {
			return v
		}
	}
	L.RaiseError("%s: method called without an atomic writer (use w:method(), not w.method())", op)
	return nil
}

// atomicWrite is w:write(s) -> true | nil, err, story.
func atomicWrite(L *lua.LState, h plugins.Host) int {
	w := checkAtomic(L, "w:write")
	data := checkStr(L, 2, "w:write", "s")
	if w.a.Done() {
		L.RaiseError("w:write: the writer for %s is already committed or aborted", w.shown)
	}
	err := block(L, h, func(ctx context.Context) error { _, err := w.a.Write([]byte(data)); return err })
	if err != nil {
		return fail(L, "w:write", w.shown, err)
	}
	return ok(L)
}

// atomicCommit is w:commit() -> true | nil, err, story.
func atomicCommit(L *lua.LState, h plugins.Host) int {
	w := checkAtomic(L, "w:commit")
	if w.a.Done() {
		L.RaiseError("w:commit: the writer for %s is already committed or aborted", w.shown)
	}
	err := block(L, h, func(ctx context.Context) error { return w.a.Commit() })
	if err != nil {
		return fail(L, "w:commit", w.shown, err)
	}
	return ok(L)
}

// atomicAbort is w:abort() -> true (a no-op once finished).
func atomicAbort(L *lua.LState) int {
	checkAtomic(L, "w:abort").a.Abort()
	return ok(L)
}

// newJail is fs.jail(dir) -> jail | nil, err, story.
func newJail(L *lua.LState) int {
	dir := checkStr(L, 1, "fs.jail", "dir")
	j, err := NewJail(dir)
	if err != nil {
		return fail(L, "fs.jail", dir, err)
	}
	ud := L.NewUserData()
	ud.Value = j
	L.SetMetatable(ud, L.GetTypeMetatable(jailType))
	L.Push(ud)
	return 1
}

func checkJail(L *lua.LState, op string) *Jail {
	if ud, isUD := L.Get(1).(*lua.LUserData); isUD {
		if v, isJ := ud.Value.(*Jail); isJ {
			return v
		}
	}
	L.RaiseError("%s: method called without a jail (use j:method(), not j.method())", op)
	return nil
}

// jailResolve is j:resolve(path) -> absolute | nil, err, story.
func jailResolve(L *lua.LState) int {
	j := checkJail(L, "jail:resolve")
	p := checkStr(L, 2, "jail:resolve", "path")
	real, err := j.Resolve(p)
	if err != nil {
		return fail(L, "jail:resolve", p, err)
	}
	L.Push(lua.LString(real))
	return 1
}
