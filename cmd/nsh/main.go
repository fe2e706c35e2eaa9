// Command nsh is a scriptable network shell: Lua with BSD sockets.
package main

import (
	"os"

	_ "nsh/plugins/all"
	"nsh/shell/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
