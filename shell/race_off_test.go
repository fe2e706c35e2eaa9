//go:build !race

package shell

// raceEnabled: the race detector slows Lua ~10x; load tests scale down.
const raceEnabled = false
