package fs_test

import (
	"os"
	"runtime"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	nfs "nsh/plugins/fs"
)

// TestDroppedAtomicWriterLeavesNoTemp drops a writer by raising between
// write and commit: once collected its temporary file is gone, while a
// writer a global still holds keeps its file until AbortPending (what nsh
// runs when it ends) removes it. The target never appears.
func TestDroppedAtomicWriterLeavesNoTemp(t *testing.T) {
	L, _ := newState(t)
	dir := t.TempDir()
	L.SetGlobal("DIR", lua.LString(dir))
	err := L.DoString(`
		local ok, err = pcall(function()
			local w = assert(fs.atomic(fs.join(DIR, "dropped.bin")))
			assert(w:write(string.rep("x", 100000)))
			error("the upload broke")
		end)
		assert(not ok and err:find("the upload broke"))
		kept = assert(fs.atomic(fs.join(DIR, "kept.bin")))
		assert(kept:write("half"))
		collectgarbage()`)
	if err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range ents {
			out = append(out, e.Name())
		}
		return out
	}
	// The cleanup runs on its own goroutine after a collection: wait for
	// it, bounded.
	for end := time.Now().Add(10 * time.Second); len(names()) > 1 && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		runtime.GC()
	}
	left := names()
	if len(left) != 1 || !isTempOf(left[0], "kept.bin") {
		t.Fatalf("after the dropped writer was collected the folder holds %v, want only kept.bin's temp file", left)
	}
	nfs.AbortPending()
	if left := names(); len(left) != 0 {
		t.Fatalf("after AbortPending the folder holds %v", left)
	}
	if err := L.DoString(`local ok, err = pcall(kept.commit, kept); assert(not ok and err:find("already committed or aborted"), err)`); err != nil {
		t.Fatal(err)
	}
}

func isTempOf(name, target string) bool {
	return len(name) > len(target)+6 && name[:len(target)+6] == "."+target+".tmp-"
}
