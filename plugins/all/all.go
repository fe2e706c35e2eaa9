// Package all imports every built-in plugin so that each registers itself.
// A test checks that every folder under plugins/ is listed here.
package all

import (
	// One blank import per plugin, sorted.
	_ "nsh/plugins/bench"
	_ "nsh/plugins/bit"
	_ "nsh/plugins/codec"
	_ "nsh/plugins/exec"
	_ "nsh/plugins/fs"
	_ "nsh/plugins/hex"
	_ "nsh/plugins/json"
	_ "nsh/plugins/log"
	_ "nsh/plugins/packet"
	_ "nsh/plugins/progress"
	_ "nsh/plugins/queue"
	_ "nsh/plugins/socket"
	_ "nsh/plugins/struct"
	_ "nsh/plugins/time"
)
