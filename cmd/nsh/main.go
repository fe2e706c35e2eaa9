// Command nsh is a scriptable network shell: Lua with BSD sockets.
package main

import (
	"os"

	_ "nsh/plugins/all"
	"nsh/shell"
)

func main() { os.Exit(shell.Main(os.Args[1:])) }
