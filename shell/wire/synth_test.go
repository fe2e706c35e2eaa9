package wire

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nsh/plugins/plugintest"
	_ "nsh/plugins/socket"
)

// TestSynthCapture: the fallback of .capture FILE without privilege adds
// the synthesiser to the session's trace, restores the trace at Stop and
// renames the complete file into place.
func TestSynthCapture(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "socket")
	file := filepath.Join(t.TempDir(), "synth.pcapng")
	sc, err := StartSynth(h, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := L.DoString(`local socket = require("socket")
srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
c = socket.connect("127.0.0.1", port); s = srv:accept(); c:send("hello"); print(s:recv(5)); c:close(); s:close()`); err != nil {
		t.Fatal(err)
	}
	if out := h.Out.String(); !strings.Contains(out, "hello") {
		t.Fatalf("printed %q", out)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("%s exists before Stop (it is written under a temporary name)", file)
	}
	if err := sc.Stop(); err != nil {
		t.Fatal(err)
	}
	if h.Sockets().NamedTracer(SynthTracerName) != nil || h.Sockets().Traced() {
		t.Errorf("the synthesiser is still among the session's tracers")
	}
	if sc.Count() < 5 || !strings.Contains(sc.String(), "synthesised from the call trace") {
		t.Errorf("%s: %d packets", sc, sc.Count())
	}
	if st, err := os.Stat(file); err != nil || st.Size() < 200 {
		t.Fatalf("%s: %v %v", file, st, err)
	}
	if _, err := StartSynth(h, filepath.Join(file, "no", "x.pcapng")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file under a file: %v", err)
	}
}
