-- A server task and N client tasks (default 1000) in one script; every
-- answer is checked. usage: nsh scripts/examples/many_clients.lua [N] [ROUNDS]
local n = tonumber(arg[1] or "1000")
local rounds = tonumber(arg[2] or "3")

local srv = socket.tcp()
assert(srv:bind("127.0.0.1", 0))
assert(srv:listen(4096))
local ip, port = srv:getsockname()

local server = spawn(function()
  for _ = 1, n do
    local conn = assert(srv:accept())
    spawn(function()
      while true do
        local line = conn:recvline()
        if not line then break end
        conn:sendline(line:upper())
      end
      conn:close()
    end)
  end
end)

local clients = {}
for i = 1, n do
  clients[i] = spawn(function()
    local c = socket.tcp()
    assert(c:connect(ip, port))
    for r = 1, rounds do
      local msg = ("client %d round %d"):format(i, r)
      assert(c:sendline(msg))
      local got = assert(c:recvline())
      assert(got == msg:upper(), ("client %d got %q"):format(i, got))
    end
    c:close()
    return rounds
  end)
end

local answers = 0
for i = 1, n do
  local ok, got = clients[i]:join()
  if not ok then error(("client %d failed: %s"):format(i, tostring(got))) end
  answers = answers + got
end
assert(server:join())
srv:close()
print(("%d clients, %d answers checked"):format(n, answers))
