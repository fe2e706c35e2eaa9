// Package scripts holds the Lua that ships inside the nsh binary: examples,
// lessons and bench scripts, embedded so nsh runs them without any files.
package scripts

import "embed"

// Examples holds scripts/examples/*.lua.
//
//go:embed examples
var Examples embed.FS
