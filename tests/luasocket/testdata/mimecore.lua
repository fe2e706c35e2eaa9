-- mimecore.lua prints the results of mime.core's eight filters on fixed and
-- pseudo-random inputs, whole and cut into chunks, so the Go test can
-- compare nsh's Go mime.core with C LuaSocket's line by line.
local core = require("mime.core")
local out = io.stdout
local function show(name, ...)
  local parts = {name}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    -- hex, not %q: gopher-lua's %q escapes differ from Lua 5.1's
    parts[#parts + 1] = type(v) == "string"
      and "'" .. string.gsub(v, ".", function(c) return string.format("%02x", c:byte()) end) .. "'"
      or tostring(v)
  end
  out:write(table.concat(parts, " "), "\n")
end

local seed = 12345
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local inputs = {"", "a", "ab", "abc", "hello world", "=\r\n", "a \r\nb\t\r\nc", "line\rbare\ncr\n\r\n",
  ".\r\n..\r\n.", "\r\n.\r\n", "tab\tend ", "\0\1\2\255\254", "aGVsbG8=", "aGVs bG8", "a=3Db=20\r\nc=\r\nd",
  "==", "=4", "=zz", string.rep("x", 200), string.rep("=", 50)}
for _ = 1, 40 do
  local t = {}
  for _ = 1, rnd(120) do
    local pick = rnd(10)
    if pick == 0 then t[#t + 1] = "\r\n" elseif pick == 1 then t[#t + 1] = " "
    elseif pick == 2 then t[#t + 1] = "=" elseif pick == 3 then t[#t + 1] = "." 
    else t[#t + 1] = string.char(rnd(256)) end
  end
  inputs[#inputs + 1] = table.concat(t)
end

for i, s in ipairs(inputs) do
  -- whole, with nil second part, and split into two parts at every third byte
  for _, f in ipairs({"b64", "unb64", "qp", "unqp"}) do
    show(f .. "#" .. i, core[f](s))
    local cut = math.floor(#s / 3)
    show(f .. "#" .. i .. "/2", core[f](s:sub(1, cut), s:sub(cut + 1)))
  end
  show("qpmarker#" .. i, core.qp(s, nil, "\n"))
  for _, left in ipairs({0, 1, 3, 10, 76}) do
    show("wrp#" .. i .. "/" .. left, core.wrp(left, s, 10))
    show("qpwrp#" .. i .. "/" .. left, core.qpwrp(left, s, 10))
  end
  for _, ctx in ipairs({0, 10, 13}) do
    show("eol#" .. i .. "/" .. ctx, core.eol(ctx, s))
    show("eolmark#" .. i .. "/" .. ctx, core.eol(ctx, s, "\n"))
  end
  for _, st in ipairs({0, 1, 2}) do
    show("dot#" .. i .. "/" .. st, core.dot(st, s))
  end
end
show("end", core.b64(nil), core.unb64(nil), core.qp(nil), core.unqp(nil), core.wrp(5, nil), core.wrp(76, nil),
  core.qpwrp(5, nil), core.qpwrp(76, nil, 76), core.eol(0, nil), core.dot(1, nil))
