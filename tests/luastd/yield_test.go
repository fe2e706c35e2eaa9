package luastd

import "testing"

// yieldCases are C Lua 5.4's behaviour for a yield inside pcall, xpcall
// and socket.protect within a coroutine (Lua 5.1 raises "attempt to yield
// across metamethod/C-call boundary" there; nsh follows 5.2+ and LuaJIT,
// which copas-style code needs): the yield suspends the coroutine, an
// error after the resume is caught by the innermost pcall, results and
// statuses as 5.4 has them.
var yieldCases = []string{
	`(function() local co = coroutine.create(function(a) local ok, e = pcall(coroutine.yield, a) local b = coroutine.yield(ok, e) return "end", b end)
		local r1 = {coroutine.resume(co, 1)} local s1 = coroutine.status(co) local r2 = {coroutine.resume(co, 2)}
		return r1[1], r1[2], r1[3], s1, r2[1], r2[2], r2[3], coroutine.status(co), coroutine.resume(co) end)()`,
	`(function() local co = coroutine.create(function() return xpcall(function() coroutine.yield(5) end, function(m) return "h:" .. m end) end)
		local ok, a, b = coroutine.resume(co) return ok, a, b, coroutine.status(co), coroutine.resume(co) end)()`,
	// an error after the resume, caught by the pcall around the yield
	`(function() local co = coroutine.create(function() local ok, e = pcall(function() local x = coroutine.yield("in") error("boom " .. x, 0) end) return "caught", ok, e end)
		local a, b = coroutine.resume(co) return a, b, coroutine.resume(co, "late") end)()`,
	// nested pcalls: each error reaches the innermost pcall still running
	`(function() local log = {} local co = coroutine.wrap(function()
		local ok1, e1 = pcall(function()
			local ok2, e2 = pcall(function() coroutine.yield(1) error("inner", 0) end)
			log[#log + 1] = tostring(ok2) .. ":" .. e2
			coroutine.yield(2)
			error("outer", 0)
		end)
		log[#log + 1] = tostring(ok1) .. ":" .. e1
		return "end" end)
		local a, b, c = co(), co(), co() return a, b, c, table.concat(log, ",") end)()`,
	// error objects that are tables, and errors with a position
	`(function() local co = coroutine.wrap(function() local ok, e = pcall(function() coroutine.yield() error({code = 42}) end) return ok, type(e), e.code end)
		co() return co() end)()`,
	`(function() local co = coroutine.wrap(function() return pcall(function() coroutine.yield() local t = nil; return t.x end) end)
		co() local ok, e = co() return ok, (string.find(e, "^.-:%d+: attempt to index") ~= nil) end)()`,
	// xpcall's handler sees the error where it was raised, after a resume
	`(function() local co = coroutine.wrap(function() return xpcall(function() coroutine.yield("y") error({1, 2}) end, function(e) return "handled " .. #e end) end)
		local y = co() return y, co() end)()`,
	// coroutine.status and running from inside, and "normal"
	`(function() local co co = coroutine.create(function() return pcall(function() coroutine.yield(coroutine.status(co)) return coroutine.status(co), coroutine.running() == co end) end)
		local a = {coroutine.resume(co)} local b = {coroutine.resume(co)} return a[2], b[2], b[3], b[4], coroutine.status(co) end)()`,
	`(function() local outer outer = coroutine.create(function() local inner = coroutine.create(function() return pcall(function() local s = coroutine.status(outer) coroutine.yield(s) return coroutine.resume(outer) end) end)
		local _, s = coroutine.resume(inner) local r = {coroutine.resume(inner)} return s, r[2], r[3], r[4], r[5] end)
		return coroutine.resume(outer) end)()`,
	// return pcall(f) (a tail call), callable tables, a Go function yielding
	`(function() local co = coroutine.wrap(function() return pcall(function(a) return coroutine.yield(a) + 1 end, 10) end) return co(), co(41) end)()`,
	`(function() local obj = setmetatable({}, {__call = function(self, a) return coroutine.yield(a) * 2 end})
		local co = coroutine.wrap(function() return pcall(obj, 21) end) return co(), co(21) end)()`,
	`(function() local co = coroutine.wrap(function() return pcall(coroutine.yield, "a", "b") end) local a, b = co() return a, b, co("c", "d") end)()`,
	// results wanted: none, one, all; nils kept
	`(function() local co = coroutine.wrap(function() local a = pcall(coroutine.yield) local b, c = pcall(function() coroutine.yield() return nil, nil end)
		return a, b, c, select("#", pcall(function() coroutine.yield() return 1, nil, 3, nil end)) end) co() co() co() return co() end)()`,
	// a closure keeps its upvalue after an error unwound the frame that made it
	`(function() local get local co = coroutine.wrap(function() pcall(function() local n = 1 get = function() n = n + 1 return n end coroutine.yield() error("x") end) return get() end)
		co() return co(), get() end)()`,
	// not in a pcall: the coroutine dies with the error
	`(function() local co = coroutine.create(function() pcall(coroutine.yield) coroutine.yield() error("dead", 0) end)
		coroutine.resume(co) coroutine.resume(co) local ok, e = coroutine.resume(co) return ok, e, coroutine.status(co), coroutine.resume(co) end)()`,
	// bad arguments as before
	`(function() local co = coroutine.wrap(function() return pcall(42) end) return co() end)()`,
	`(function() local co = coroutine.wrap(function() local ok, e = pcall(pcall) return ok, (string.gsub(e, " %(.*", "")) end) return co() end)()`,
	// a thousand yields through pcall leave nothing behind
	`(function() local co = coroutine.wrap(function() local s = 0 for i = 1, 1000 do local ok, v = pcall(coroutine.yield, i) s = s + v end return "sum", s end)
		local last = co() for i = 1, 1000 do last = {co(i)} end return last[1], last[2] end)()`,
	// deep recursion under pcall in a coroutine is an error, caught
	`(function() local function r() return 1 + r() end local co = coroutine.wrap(function() local ok, e = pcall(r) return ok, (string.find(e, "stack overflow") ~= nil) end) return co() end)()`,
	// a yield inside a sort comparator still cannot be made, pcall or not
	`(function() local co = coroutine.create(function() return pcall(table.sort, {3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)
		local ok, a, b = coroutine.resume(co) return ok, a, (string.find(b, "attempt to yield across") ~= nil), coroutine.status(co) end)()`,
}

// TestYieldAcrossPcallAsLua54 compares yieldCases with lua5.4.
func TestYieldAcrossPcallAsLua54(t *testing.T) {
	compareWith(t, "lua5.4", "5.4", yieldCases)
}
