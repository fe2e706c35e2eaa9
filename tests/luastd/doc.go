// Package luastd tests the Lua standard library as nsh ships it (the
// patched gopher-lua of third_party/gopher-lua) on bad and hostile input:
// the same expressions run in nsh and in C Lua 5.1 (lua5.1), the memory
// guard, long built-ins that must stay interruptible, and fuzz targets
// that call the library with random arguments.
package luastd
