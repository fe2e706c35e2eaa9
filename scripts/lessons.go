package scripts

import "embed"

// Lessons holds scripts/lessons: one folder per lesson (meta.json and a
// Lua script per role) and lib/, the helpers lessons load with
// require("lessons.lib.NAME").
//
//go:embed all:lessons
var Lessons embed.FS
