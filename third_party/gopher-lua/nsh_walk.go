package lua

// ForEachStackValue calls fn with every value on the thread's stack — the
// registers of every frame up to the top — and the function of every call
// frame. (nsh patch: a socket made by a task stays open when the task ends
// if another live task can still reach it; nsh finds out by walking every
// live thread's stack, which the public API shows only frame by frame.)
// The caller must own the state (nsh: hold the session lock).
func (ls *LState) ForEachStackValue(fn func(LValue)) {
	top := ls.reg.Top()
	if top > len(ls.reg.array) {
		top = len(ls.reg.array)
	}
	for i := 0; i < top; i++ {
		if v := ls.reg.array[i]; v != nil {
			fn(v)
		}
	}
	for i := 0; i < ls.stack.Sp(); i++ {
		if f := ls.stack.At(i); f != nil && f.Fn != nil {
			fn(f.Fn)
		}
	}
}
