-- runclnt.lua runs LuaSocket's unmodified testclnt.lua case by case under
-- lua5.1 (C LuaSocket) or nsh. Each call of a test function in the file's
-- main part is one case, numbered in order. The file's global functions are
-- intercepted as it defines them (a __newindex on _G): a case runs in pcall
-- and prints "CASE i name" then "PASS i" or "FAIL i reason"; the first
-- failure ends the process so the harness restarts both peers clean from
-- case i+1 (LS_FROM; LS_TO ends the range). Cases named in LS_SKIP print "SKIP i name".
--
-- The client insists on a debug build of LuaSocket (socket._DEBUG) whose
-- send/receive return the call's elapsed time as a 4th value. Neither
-- Debian's C build nor nsh is one, so for both alike this runner sets
-- socket._DEBUG and appends the elapsed time (measured around the call with
-- socket.gettime) when an implementation returns fewer than 4 values.
host, port = "127.0.0.1", os.getenv("LS_PORT")
local from = tonumber(os.getenv("LS_FROM") or "1")
local to = tonumber(os.getenv("LS_TO") or "1e9")
local skip = {}
for name in string.gmatch(os.getenv("LS_SKIP") or "", "[^,]+") do skip[name] = true end

local socket = require("socket")
local out = io.stdout
-- gopher-lua has no "line" mode; unbuffered does as well here.
if not pcall(out.setvbuf, out, "line") then out:setvbuf("no") end

if not socket._DEBUG then
  socket._DEBUG = true
  local done = {}
  local timed = dofile((arg[0]:match("^(.*)/") or ".") .. "/debugtimed.lua")
  local connect = socket.connect
  socket.connect = function(...)
    local c, e = connect(...)
    local idx = c and getmetatable(c) and getmetatable(c).__index
    if type(idx) == "table" and not done[idx] then
      done[idx] = true
      idx.send, idx.receive = timed(idx.send), timed(idx.receive)
    end
    return c, e
  end
end

local cases = {}
for name in string.gmatch([[test_methods test_closed test_partialrecv
  test_selectbugs test_readafterclose test_writeafterclose connect_timeout
  empty_connect connect_errors rebind_test active_close accept_timeout
  accept_errors getstats_test test_asciiline test_mixed test_rawline test_raw
  test_nonblocking test_totaltimeoutsend test_totaltimeoutreceive
  test_blockingtimeoutsend test_blockingtimeoutreceive]], "%S+") do
  cases[name] = true
end

local index, seen = 0, {}
local function caseName(fn, ...)
  local args = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" then args[#args + 1] = tostring(v) end
  end
  local name = fn .. "(" .. table.concat(args, ",") .. ")"
  seen[name] = (seen[name] or 0) + 1
  if seen[name] > 1 then name = name .. "#" .. seen[name] end
  return name
end

local function wrap(fn, f)
  return function(...)
    index = index + 1
    local name = caseName(fn, ...)
    if index < from or index > to then return end
    if skip[fn] then out:write("SKIP ", index, " ", name, "\n") return end
    out:write("CASE ", index, " ", name, "\n")
    local ok, err = pcall(f, ...)
    if ok then
      out:write("PASS ", index, "\n")
    else
      out:write("FAIL ", index, " ", (string.gsub(tostring(err), "\n", " ")), "\n")
      os.exit(1)
    end
  end
end

setmetatable(_G, {__newindex = function(t, k, v)
  if k == "fail" then
    -- The file's fail prints and calls os.exit(); a failed case must reach
    -- the pcall above instead.
    v = function(...) error("ERROR: " .. string.format(...), 0) end
  elseif cases[k] and type(v) == "function" then
    v = wrap(k, v)
  end
  rawset(t, k, v)
end})

dofile(os.getenv("LS_DIR") .. "/testclnt.lua")
out:write("END ", index, "\n")
