package cli

// The tests run nsh as cmd/nsh does, with the built-in plugins linked.
import _ "nsh/plugins/all"
