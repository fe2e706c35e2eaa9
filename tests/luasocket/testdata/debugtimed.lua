-- debugtimed.lua: what a LUASOCKET_DEBUG build adds and LuaSocket's test
-- clients insist on, for C and nsh alike (runclnt.lua, runuclnt.lua):
-- returns timed(f), which wraps send or receive so the call's elapsed time
-- (socket.gettime around it) is its 4th value when it gives fewer.
local socket = require("socket")
local unpack = unpack or table.unpack
return function(f)
  return function(...)
    local t0 = socket.gettime()
    local r = {n = 0}
    local function keep(...) r.n = select("#", ...); for i = 1, r.n do r[i] = (select(i, ...)) end end
    keep(f(...))
    if r.n < 4 then
      for i = r.n + 1, 3 do r[i] = nil end
      r[4], r.n = socket.gettime() - t0, 4
    end
    return unpack(r, 1, r.n)
  end
end
