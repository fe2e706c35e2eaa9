// Package lesson runs the bundled lessons (scripts/lessons): a role of a
// lesson as a script of the session, from `nsh lesson` or the REPL's
// .lesson, with the `lesson` global its scripts read.
package lesson
