// Package help is the help registry: every plugins.Help entry of every
// plugin, found by name or by the Lua value it documents, and printed for
// help(), .help, Tab completion and docs/API.md.
package help
