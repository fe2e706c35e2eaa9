-- runuclnt.lua runs LuaSocket's unmodified utestclnt.lua (testclnt over
-- AF_UNIX) under lua5.1 or nsh, setting socket._DEBUG and appending the
-- elapsed time to send/receive as runclnt.lua does, for C and nsh alike.
local socket = require("socket")
socket.unix = require("socket.unix")
socket._DEBUG = true
local done = {}
local timed = dofile((arg[0]:match("^(.*)/") or ".") .. "/debugtimed.lua")
local unix = socket.unix
local function patch(u)
  local idx = getmetatable(u) and getmetatable(u).__index
  if type(idx) == "table" and not done[idx] then
    done[idx] = true
    if idx.send then idx.send, idx.receive = timed(idx.send), timed(idx.receive) end
    local connect = idx.connect
    if connect then
      idx.connect = function(self, ...)
        local r, e = connect(self, ...)
        patch(self)
        return r, e
      end
    end
  end
  return u
end
local mt = {__call = function(_, ...) local u, e = unix(...) if u then patch(u) end return u, e end,
  __index = unix}
socket.unix = setmetatable({}, mt)
package.loaded["socket.unix"] = socket.unix
dofile("utestclnt.lua")
