-- runsrvr.lua runs LuaSocket's unmodified testsrvr.lua on 127.0.0.1 and a
-- port the kernel picks, printing "PORT n" once bound so the harness can
-- start the client. Works under lua5.1 (C LuaSocket) and nsh alike.
host, port = "127.0.0.1", 0
local socket = require("socket")
local bind = socket.bind
socket.bind = function(...)
  local s, e = bind(...)
  if s then
    local _, p = s:getsockname()
    io.stdout:write("PORT ", tostring(p), "\n")
    io.stdout:flush()
  end
  return s, e
end
-- gopher-lua has no "line" mode; unbuffered does as well here.
if not pcall(io.stdout.setvbuf, io.stdout, "line") then io.stdout:setvbuf("no") end
dofile(os.getenv("LS_DIR") .. "/testsrvr.lua")
