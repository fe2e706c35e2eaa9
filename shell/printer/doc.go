// Package printer shows Lua values as the prompt prints them: tables
// sorted and nested within bounds, binary data as a hex dump, long text as
// a [[long string]], functions by their help name, each kind in its colour.
package printer
