-- A small Redis-protocol (RESP2) server: one task per connection, one
-- shared Lua table as the keyspace. redis-cli and redis-benchmark talk to it.
-- usage: nsh scripts/examples/resp_server.lua [PORT] [BUFFER] [HOST]
-- PORT 0 picks a free port (the first line printed says which; default
-- 6380). BUFFER is the write buffer of each connection in bytes (default
-- 16384; 0 turns buffering off): replies to a pipelined batch collect in it
-- and leave in one write when the next read would wait.
--
-- Commands: PING [msg], ECHO, SET key value, GET, DEL key..., EXISTS key...,
-- INCR, MSET, LPUSH/RPUSH, LPOP/RPOP, LRANGE, SADD, SPOP, HSET, ZADD,
-- ZPOPMIN, DBSIZE, FLUSHALL, CONFIG GET (save, appendonly), QUIT; what
-- redis-benchmark's default tests use. Both the RESP arrays clients send
-- and the inline form ("PING\r\n", as redis-benchmark's PING_INLINE) work.
local port = tonumber(arg[1] or "6380")
local bufsize = tonumber(arg[2] or "16384")
local host = arg[3] or "127.0.0.1"
if not port or not bufsize then
  io.stderr:write("usage: resp_server.lua [PORT] [BUFFER] [HOST]: PORT and BUFFER are numbers\n")
  os.exit(2)
end

local MAX_BULK = 512 * 1024 * 1024 -- Redis's own limit on a bulk string
local MAX_ARGS = 1024 * 1024

local db = {} -- key -> string, or a table {kind = "list"|"set"|"hash"|"zset", ...}

local function bulk(s)
  if s == nil then return "$-1\r\n" end
  return "$" .. #s .. "\r\n" .. s .. "\r\n"
end
local function int(n) return ":" .. n .. "\r\n" end
local function err(msg) return "-" .. msg .. "\r\n" end
local OK, WRONGTYPE = "+OK\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"

local function container(key, kind)
  local v = db[key]
  if v == nil then
    v = {kind = kind, n = 0}
    if kind == "list" then v.head, v.tail = 1, 0 end
    db[key] = v
    return v
  end
  if type(v) ~= "table" or v.kind ~= kind then return nil end
  return v
end

local function array(items, n)
  local out = {"*" .. n .. "\r\n"}
  for i = 1, n do out[#out + 1] = bulk(items[i]) end
  return table.concat(out)
end

local commands = {}
function commands.PING(a) if a[2] then return bulk(a[2]) end return "+PONG\r\n" end
function commands.ECHO(a) return bulk(a[2] or "") end
function commands.SET(a)
  if not a[3] then return err("ERR wrong number of arguments for 'set' command") end
  db[a[2]] = a[3]
  return OK
end
function commands.GET(a)
  local v = db[a[2] or ""]
  if type(v) == "table" then return WRONGTYPE end
  return bulk(v)
end
function commands.DEL(a)
  local n = 0
  for i = 2, #a do if db[a[i]] ~= nil then db[a[i]] = nil; n = n + 1 end end
  return int(n)
end
function commands.EXISTS(a)
  local n = 0
  for i = 2, #a do if db[a[i]] ~= nil then n = n + 1 end end
  return int(n)
end
function commands.INCR(a)
  local v = db[a[2] or ""]
  local n = tonumber(v or "0")
  if type(v) == "table" or not n or n ~= math.floor(n) then
    return err("ERR value is not an integer or out of range")
  end
  n = n + 1
  db[a[2]] = string.format("%d", n)
  return int(string.format("%d", n))
end
function commands.MSET(a)
  if #a < 3 or #a % 2 == 0 then return err("ERR wrong number of arguments for 'mset' command") end
  for i = 2, #a, 2 do db[a[i]] = a[i + 1] end
  return OK
end
local function push(a, left)
  local l = container(a[2] or "", "list")
  if not l then return WRONGTYPE end
  for i = 3, #a do
    if left then l.head = l.head - 1; l[l.head] = a[i] else l.tail = l.tail + 1; l[l.tail] = a[i] end
  end
  return int(l.tail - l.head + 1)
end
function commands.LPUSH(a) return push(a, true) end
function commands.RPUSH(a) return push(a, false) end
local function pop(a, left)
  local l = db[a[2] or ""]
  if l == nil then return bulk(nil) end
  if type(l) ~= "table" or l.kind ~= "list" then return WRONGTYPE end
  local v
  if left then v = l[l.head]; l[l.head] = nil; l.head = l.head + 1
  else v = l[l.tail]; l[l.tail] = nil; l.tail = l.tail - 1 end
  if l.head > l.tail then db[a[2]] = nil end
  return bulk(v)
end
function commands.LPOP(a) return pop(a, true) end
function commands.RPOP(a) return pop(a, false) end
function commands.LRANGE(a)
  local l = db[a[2] or ""]
  if l == nil then return "*0\r\n" end
  if type(l) ~= "table" or l.kind ~= "list" then return WRONGTYPE end
  local len = l.tail - l.head + 1
  local first, last = tonumber(a[3] or ""), tonumber(a[4] or "")
  if not first or not last then return err("ERR value is not an integer or out of range") end
  if first < 0 then first = len + first end
  if last < 0 then last = len + last end
  first, last = math.max(first, 0), math.min(last, len - 1)
  local items, n = {}, 0
  for i = first, last do n = n + 1; items[n] = l[l.head + i] end
  return array(items, n)
end
function commands.SADD(a)
  local s = container(a[2] or "", "set")
  if not s then return WRONGTYPE end
  local added = 0
  for i = 3, #a do
    if not s[a[i]] then s[a[i]] = true; s.n = s.n + 1; added = added + 1 end
  end
  return int(added)
end
function commands.SPOP(a)
  local s = db[a[2] or ""]
  if s == nil then return bulk(nil) end
  if type(s) ~= "table" or s.kind ~= "set" then return WRONGTYPE end
  for k, v in pairs(s) do
    if v == true then
      s[k] = nil; s.n = s.n - 1
      if s.n == 0 then db[a[2]] = nil end
      return bulk(k)
    end
  end
  return bulk(nil)
end
function commands.HSET(a)
  local h = container(a[2] or "", "hash")
  if not h then return WRONGTYPE end
  if #a < 4 or #a % 2 == 1 then return err("ERR wrong number of arguments for 'hset' command") end
  local added = 0
  h.fields = h.fields or {}
  for i = 3, #a, 2 do
    if h.fields[a[i]] == nil then added = added + 1 end
    h.fields[a[i]] = a[i + 1]
  end
  return int(added)
end
function commands.ZADD(a)
  local z = container(a[2] or "", "zset")
  if not z then return WRONGTYPE end
  z.scores = z.scores or {}
  local added = 0
  for i = 3, #a - 1, 2 do
    local score = tonumber(a[i])
    if not score then return err("ERR value is not a valid float") end
    if z.scores[a[i + 1]] == nil then added = added + 1; z.n = z.n + 1 end
    z.scores[a[i + 1]] = score
  end
  return int(added)
end
function commands.ZPOPMIN(a)
  local z = db[a[2] or ""]
  if z == nil then return "*0\r\n" end
  if type(z) ~= "table" or z.kind ~= "zset" then return WRONGTYPE end
  local best, bs
  for m, sc in pairs(z.scores) do
    if not bs or sc < bs or (sc == bs and m < best) then best, bs = m, sc end
  end
  z.scores[best] = nil; z.n = z.n - 1
  if z.n == 0 then db[a[2]] = nil end
  return array({best, string.format("%.17g", bs)}, 2)
end
function commands.DBSIZE()
  local n = 0
  for _ in pairs(db) do n = n + 1 end
  return int(n)
end
function commands.FLUSHALL() db = {} return OK end
commands.FLUSHDB = commands.FLUSHALL
local config = {save = "", appendonly = "no"} -- what redis-benchmark asks for
function commands.CONFIG(a)
  if (a[2] or ""):upper() == "GET" then
    local v = config[(a[3] or ""):lower()]
    if v then return array({a[3]:lower(), v}, 2) end
    return "*0\r\n"
  end
  return err("ERR CONFIG " .. (a[2] or "") .. " is not supported")
end

-- readCommand reads one command: a RESP array of bulk strings, or an
-- inline line of words. It returns the argument list, or nil and why.
local function readCommand(conn)
  local line, e = conn:recvline()
  if not line then return nil, e end
  if line:sub(1, 1) ~= "*" then
    local a = {}
    for w in line:gmatch("%S+") do a[#a + 1] = w end
    return a
  end
  local n = tonumber(line:sub(2))
  if not n or n < 0 or n > MAX_ARGS then return nil, "protocol error: bad array length" end
  local a = {}
  for i = 1, n do
    local hdr, e2 = conn:recvline()
    if not hdr then return nil, e2 end
    local len = hdr:sub(1, 1) == "$" and tonumber(hdr:sub(2))
    if not len or len < 0 or len > MAX_BULK then return nil, "protocol error: bad bulk length" end
    local data, e3 = conn:recvexactly(len + 2)
    if not data then return nil, e3 end
    a[i] = data:sub(1, len)
  end
  return a
end

local function serve(conn)
  conn:setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
  if bufsize > 0 then conn:setbuffer(bufsize) end
  while true do
    local a, why = readCommand(conn)
    if not a then
      if why and why:find("protocol error", 1, true) then conn:sendall(err("ERR " .. why)) end
      break
    end
    if #a > 0 then
      local name = a[1]:upper()
      if name == "QUIT" then conn:sendall(OK) break end
      local cmd = commands[name]
      local reply
      if cmd then reply = cmd(a) else reply = err("ERR unknown command '" .. a[1] .. "'") end
      if not conn:sendall(reply) then break end
    end
  end
  conn:close()
end

local srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv:setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
local ok, e, story = srv:bind(host, port)
if not ok then
  io.stderr:write(story or e, "\n")
  os.exit(1)
end
srv:listen(socket.SOMAXCONN)
print("listening on " .. tostring(srv:getsockname()))
io.stdout:flush()
while true do
  local conn = srv:accept()
  if conn then spawn(serve, conn) end
end
