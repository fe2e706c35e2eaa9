-- Seed 000 (000_f54574ad7420c1b1.txt), program 3: the "simple FTP picture upload" server
-- (简单的FTP上传图片): header "post|<filename>|<size>", then <size> bytes, saved into tupian/.
-- The header has no terminator, so TCP may deliver it glued to the first bytes of the file;
-- the original then crashes (or corrupts the file). nsh reads the same bytes robustly.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local DIR = lesson.flags.dir or "tupian"
local MAX = tonumber(lesson.flags["max-size"] or 104857600) or error("--max-size needs a number of bytes", 0)

-- nsh: the folder is created if missing (the original's open() fails without it), and every
-- name goes through fs.jail: "../x", absolute paths and symlinks out of it are refused.
if not fs.exists(DIR) then
  serve.check(fs.mkdir(DIR, {parents = true}))
end
local jail = serve.check(fs.jail(DIR))

-- quoted is s in double quotes on one line: control bytes written as \n, \r, \t or \ddd (Lua's
-- %q keeps a newline as a backslash and a real newline, which would split a log line).
local escapes = {["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ['"'] = '\\"', ["\\"] = "\\\\"}
local function quoted(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\%03d", c:byte()) end) .. '"'
end

-- discard reads and drops n bytes (an upload that is refused, to stay in step with the client).
local function discard(rd, n)
  while n > 0 do
    local chunk = rd:chunk(math.min(n, 65536))
    if chunk == nil then
      return false
    end
    n = n - #chunk
  end
  return true
end

-- receive handles one upload; it returns false when the connection is over.
local function receive(rd, addr)
  -- nsh fix: the original splits whatever its first recv(1024) returned on "|": a header glued
  -- to the data breaks the split. nsh reads "post|", the name up to "|", then the digits.
  local cmd, err = rd:until_byte("|", 1024)
  if cmd == nil then
    if err == "closed" and rd:buffered() == 0 then
      return false -- the client is done
    end
    print(string.format("%s: bad header (%s)", tostring(addr), err))
    return false
  end
  if cmd ~= "post" then
    print(string.format("%s: unknown command %s: closing", tostring(addr), quoted(cmd)))
    return false
  end
  local filename = rd:until_byte("|", 1024)
  if filename == nil then
    print(string.format("%s: bad header: no file name", tostring(addr)))
    return false
  end
  local filesize, serr, sstory = rd:decimal_length({next = "post|", max = 8 * 1048576, idle = 1})
  if filesize == nil then
    print(string.format("%s: bad header: %s", tostring(addr), sstory or serr))
    return false
  end
  -- nsh fix: a size cap (the original takes any size).
  if filesize > MAX then
    print(string.format("refused %s: %d bytes is over the %d-byte limit: closing", quoted(filename), filesize, MAX))
    return false
  end
  -- nsh fix: the original joins the name unchecked, so "../../x" writes outside tupian/.
  -- A base name is all the original client ever sends; anything else (a "/", a "\\", a
  -- control character) is refused, and the jail checks again (symlinks included). The bytes
  -- are read anyway to stay in step.
  local bad = filename == "" or filename == "." or filename == ".." or string.find(filename, "[/\\%c]")
  local w, werr, wstory
  if not bad then
    w, werr, wstory = jail:atomic(filename)
  end
  if w == nil then
    print(string.format("refused %s: %s", quoted(filename), wstory or werr or "not a plain file name"))
    return discard(rd, filesize)
  end
  -- nsh fix: the data goes to a temporary name and is renamed only when complete; the
  -- original appends ('ab') to any existing file and leaves half a file when the client dies.
  local h = fs.hasher("md5")
  local has_receive = 0
  while has_receive < filesize do
    -- nsh fix: never read past this file's end (the original's recv(1024) may swallow the
    -- next header, then loops for ever because has_receive never equals filesize)
    local data = rd:chunk(math.min(65536, filesize - has_receive))
    if data == nil then
      w:abort()
      print(string.format("upload of %s broken off after %d of %d bytes: nothing saved", quoted(filename), has_receive, filesize))
      return false
    end
    w:write(data)
    h:update(data)
    has_receive = has_receive + #data
  end
  serve.check(w:commit())
  print(string.format("saved %s (%d bytes, md5 %s)", fs.join(DIR, filename), filesize, h:hexdigest()))
  return true
end

local sk = serve.tcp(3)
print(sk)
print("waiting......")
-- nsh: one task per connection (the original serves one client at a time) and a client that
-- leaves ends its connection only (the original's split of b'' raises and kills the server).
serve.each(sk, function(conn, addr)
  local rd = wire.reader(conn, 65536)
  while receive(rd, addr) do
  end
end)
