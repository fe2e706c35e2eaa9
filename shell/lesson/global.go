package lesson

import (
	"io"
	"path"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/scripts"
	"nsh/shell"
)

// The `lesson` global a lesson's scripts read, and require of the
// embedded lessons.* modules.

const lessonAPIKey = "nsh.lessons.installed"

// installLessonAPI sets, once per session, the global `lesson` (whose fields
// belong to the lesson of the task reading them) and a require searcher for
// "lessons.*" over the embedded scripts. The caller holds the session lock.
func installLessonAPI(s *shell.Session) {
	L := s.L
	reg := L.G.Registry
	if reg.RawGetString(lessonAPIKey) == lua.LTrue {
		return
	}
	reg.RawSetString(lessonAPIKey, lua.LTrue)

	input := L.NewFunction(func(L *lua.LState) int { return luaLessonInput(s, L) })
	own := L.NewFunction(func(L *lua.LState) int { return luaLessonOwn(s, L) })
	proxy := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key := L.CheckString(2)
		switch key {
		case "input":
			L.Push(input)
			return 1
		case "own":
			L.Push(own)
			return 1
		}
		r := lessonOfGroup(s.GroupOf(L))
		if r == nil {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(r.field(L, key))
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("lesson: the lesson table is read-only")
		return 0
	}))
	L.SetMetatable(proxy, mt)
	L.SetGlobal("lesson", proxy)

	if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
		if loaders, ok := L.GetField(pkg, "loaders").(*lua.LTable); ok {
			loaders.Insert(2, L.NewFunction(lessonSearcher))
		}
	}
}

// field returns lesson.KEY for the run.
func (r *lessonRun) field(L *lua.LState, key string) lua.LValue {
	switch key {
	case "name":
		return lua.LString(r.meta.Name)
	case "role":
		return lua.LString(r.role)
	case "host":
		return lua.LString(r.host)
	case "port":
		return lua.LNumber(r.port)
	case "seed":
		return lua.LString(r.meta.Seed)
	case "title":
		return lua.LString(r.meta.Title)
	case "proto":
		return lua.LString(r.meta.Proto)
	case "flags":
		return r.flagsTable
	case "args":
		tb := L.NewTable()
		for _, a := range r.pos {
			tb.Append(lua.LString(a))
		}
		return tb
	}
	return lua.LNil
}

// luaLessonInput: lesson.input([prompt]) -> line | nil at end of input. The
// prompt is shown only when a person is at a terminal.
func luaLessonInput(s *shell.Session, L *lua.LState) int {
	if L.GetTop() >= 1 && L.Get(1) != lua.LNil && s.Interactive() {
		io.WriteString(s.Stdout(), L.ToStringMeta(L.Get(1)).String())
	}
	line, err := s.ReadLine(L)
	if err != nil {
		L.Push(lua.LNil)
		if err == shell.ErrInterrupted {
			L.Push(lua.LString("interrupted"))
			return 2
		}
		return 1
	}
	L.Push(lua.LString(strings.TrimRight(line, "\r\n")))
	return 1
}

// luaLessonOwn: lesson.own(sock[, false]) -> sock. The lesson's sockets so
// marked are closed when the lesson ends or is stopped; lesson.own(sock, false)
// drops the mark (the script closed it itself).
func luaLessonOwn(s *shell.Session, L *lua.LState) int {
	sock := L.Get(1)
	if t := sock.Type(); t != lua.LTUserData && t != lua.LTTable {
		L.ArgError(1, "socket expected, got "+t.String())
	}
	if r := lessonOfGroup(s.GroupOf(L)); r != nil {
		if L.Get(2) == lua.LFalse {
			delete(r.owned, sock)
		} else {
			if r.owned == nil {
				r.owned = map[lua.LValue]bool{}
			}
			r.owned[sock] = true
		}
	}
	L.Push(sock)
	return 1
}

// lessonSearcher is a package.loaders entry: require("lessons.lib.serve")
// loads scripts/lessons/lib/serve.lua from the binary.
func lessonSearcher(L *lua.LState) int {
	name := L.CheckString(1)
	rest, ok := strings.CutPrefix(name, "lessons.")
	if !ok {
		L.Push(lua.LString("\n\tnot a lesson module"))
		return 1
	}
	file := path.Join(lessonsRoot, strings.ReplaceAll(rest, ".", "/")+".lua")
	src, err := scripts.Lessons.ReadFile(file)
	if err != nil {
		L.Push(lua.LString("\n\tno embedded file 'scripts/" + file + "'"))
		return 1
	}
	fn, err := L.Load(strings.NewReader(string(src)), "@scripts/"+file)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(fn)
	return 1
}
