package repl

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell"
	"nsh/shell/dot"
)

// The REPL as the dot-commands see it (Prompt).

var _ dot.Prompt = (*repl)(nil)

func (r *repl) RunForeground(ctx context.Context, name string, mk func(L *lua.LState) *lua.LFunction) (*shell.Task, bool) {
	return r.runForeground(ctx, name, mk)
}

func (r *repl) CompleteLua(head string) ([]string, string) { return r.completeLua(head) }

func (r *repl) History(n int) ([]string, int) { return r.hist.last(n) }

func (r *repl) IsTerm() bool { return r.isTerm }

func (r *repl) Leave() { r.leaving.Store(true) }

func (r *repl) Started() time.Time { return r.started }

func (r *repl) TypedLine(p *lua.FunctionProto) (string, bool) { return r.sources.lineOf(p) }

func (r *repl) Width() int { return r.width() }
