package lua

// nsh patch: the memory guard and the checkpoint of long built-ins (see
// NSH-PATCH.md).

import (
	"fmt"
	"math"
	"unsafe"
)

// AllocCheck, when set, is asked before a built-in makes a value whose
// size a script chose (string.rep, table.concat, string.gsub...): what is
// the Lua function ("string.rep"), size the bytes; a non-nil error becomes
// the Lua error, its text unchanged. nsh sets it to its memory guard
// (nsh/internal/memguard.Check). A size that overflowed is passed as -1.
// nil: only sizes beyond what Go can allocate are refused.
var AllocCheck func(what string, size int64) error

// maxAlloc is the largest string Go can make on this platform.
const maxAlloc = math.MaxInt

// CheckAlloc raises a Lua error when a value of size bytes (negative: the
// size overflowed) may not be made: "what: resulting string too large"
// (Lua's words) past what Go can allocate, or AllocCheck's error.
func (ls *LState) CheckAlloc(what string, size int64) {
	if size < 0 || uint64(size) > maxAlloc {
		ls.RaiseError("%s: resulting string too large", what)
	}
	if AllocCheck != nil {
		if err := AllocCheck(what, size); err != nil {
			ls.RaiseError("%s", err.Error())
		}
	}
}

// sizeMul is a*b, or -1 when it overflows or either is negative.
func sizeMul(a, b int64) int64 {
	if a < 0 || b < 0 || (a != 0 && b > math.MaxInt64/a) {
		return -1
	}
	return a * b
}

// sizeAdd is a+b, or -1 when it overflows or either is negative.
func sizeAdd(a, b int64) int64 {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return -1
	}
	return a + b
}

// Checkpoint is what a long Go built-in calls inside its loop, as the VM
// does between instructions: it raises the context's error when the
// state's context is done (task:cancel, Ctrl-C), and calls Preempt (nsh
// hands the session lock to other tasks there), so a pathological pattern
// or a huge string.rep neither starves other tasks nor ignores Ctrl-C.
// The caller must touch no Lua value it has not already got: other tasks
// run during Preempt.
func (ls *LState) Checkpoint() {
	if ls.ctx != nil {
		select {
		case <-ls.ctx.Done():
			ls.RaiseError("%s", ls.ctx.Err().Error())
		default:
		}
	}
	if ls.Preempt != nil {
		ls.preemptN = 0
		ls.Preempt(ls)
	}
}

// checkpointEvery is how many steps (bytes copied, matcher steps,
// comparisons) a long built-in takes between two Checkpoints: about the
// time the VM takes for PreemptEvery instructions.
const checkpointEvery = 1 << 20

// bytesToString makes a string of b without copying; b must not change.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// goPanicMessage is the Lua error for a Go panic caught by a protected
// call (nsh patch): the Lua function that was running, and no Go runtime
// text ("runtime error: makeslice: len out of range", a nil pointer) for
// the user; the Go value goes to the error's StackTrace when
// IncludeGoStackTrace is set.
func (ls *LState) goPanicMessage(rcv interface{}) string {
	name := "?"
	if ls.currentFrame != nil && ls.currentFrame.Fn != nil {
		name = ls.rawFrameFuncName(ls.currentFrame)
		if name == "" || name == "(anonymous)" || name[0] == '<' {
			name = "?"
		}
	}
	if ls.Options.IncludeGoStackTrace {
		return fmt.Sprintf("internal error in '%s' (%v)", name, rcv)
	}
	return fmt.Sprintf("internal error in '%s' (a bug in nsh: please report it with the call that caused it)", name)
}
