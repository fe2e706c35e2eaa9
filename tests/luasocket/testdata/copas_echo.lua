-- copas_echo.lua: a copas (Debian's lua-copas) echo server and clients in
-- one process: copas.addserver, copas.addthread, copas.receive/send through
-- copas.wrap, copas.step until every client is done.
local socket = require("socket")
local copas = require("copas")
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
copas.addserver(server, function(c)
  local w = copas.wrap(c)
  while true do
    local line = w:receive("*l")
    if not line then break end
    w:send(line:upper() .. "\n")
  end
end)
local results, done = {}, 0
for i = 1, 5 do
  copas.addthread(function()
    local c = socket.tcp()
    local w = copas.wrap(c)
    assert(copas.connect(c, "127.0.0.1", port))
    local got = {}
    for j = 1, 3 do
      w:send(("client %d line %d\n"):format(i, j))
      got[#got + 1] = w:receive("*l")
    end
    if i == 5 then
      -- a long line, more than one receive on the server's side
      local big = string.rep("x", 200000)
      w:send(big .. "\n")
      got[#got + 1] = #w:receive("*l")
    end
    c:close()
    results[i] = table.concat(got, ",")
    done = done + 1
  end)
end
local steps = 0
while done < 5 and steps < 10000 do
  copas.step(1)
  steps = steps + 1
end
for i = 1, 5 do print(i, results[i]) end
print("done", done)
