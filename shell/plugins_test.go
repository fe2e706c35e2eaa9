package shell

// The tests run Lua that uses the built-in plugins (socket, queue...), as
// the nsh binary links them.
import _ "nsh/plugins/all"
