-- Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP server, object-oriented version
-- (TCPServer): `get NAME` sends a file from the share folder, `put NAME` stores one in the
-- upload folder. Defaults as the class version: 127.0.0.1:8080, listen(5), recv(8192); the
-- document's first version (port 8808, get only) speaks the same get: use --port 8808.
-- Wire format and nsh's resume extra: scripts/lessons/ftp/proto.lua.
-- nsh fixes, each marked "nsh fix" below: the client leaving ends its connection only (the
-- document's `continue` spun forever on it); one task per connection, so clients are served at
-- once; paths outside the folders are refused; a real md5 is sent and checked; an upload is
-- written to a temporary name and renamed only when complete and verified; files are streamed,
-- never held in memory; a put header stuck to its command is split off; a name that is not
-- UTF-8 is refused (get answers 0); temporary names fit NAME_MAX; names in the log are quoted
-- and escaped, so a newline in a name cannot forge a log line.
local serve = require("lessons.lib.serve")
local proto = require("lessons.ftp.proto")
local struct = require("struct")
local fs = require("fs")

local function folder(flag, default)
  local dir = lesson.flags[flag] or default
  if type(dir) ~= "string" then
    error(string.format("--%s needs a folder", flag), 0)
  end
  serve.check(fs.mkdir(dir, {parents = true}))
  return serve.check(fs.jail(dir))
end

-- 下载的文件存放路径 (files offered by get) and 上传的文件存放路径 (where put stores files)
local share = folder("share", "share")
local upload = folder("upload", "upload")
local max_size = tonumber(lesson.flags.max_size or 64 * 2 ^ 30)
if max_size == nil or max_size < 0 then
  error("--max-size needs a number of bytes", 0)
end

-- md5s remembers each shared file's digest while its size and mtime stay the same, so a large
-- file is read once, not at every get (and every resumed get).
local md5s = {}
local function md5_of(path, st)
  local c = md5s[path]
  if c and c.size == st.size and c.mtime == st.mtime then
    return c.md5
  end
  local sum, err, story = fs.md5(path)
  if sum == nil then
    return nil, err, story
  end
  md5s[path] = {size = st.size, mtime = st.mtime, md5 = sum}
  return sum
end

-- get sends a file, or a 0 length when there is none. An optional third word is nsh's resume
-- offset. It returns false when the connection is lost.
local function get(conn, cmds)
  local filename = cmds[2] or ""
  if not proto.utf8(filename) then
    -- nsh fix: the JSON header cannot carry a name that is not UTF-8; the client gets the
    -- protocol's refusal (0) and the log says why, instead of json.encode failing.
    print(string.format("get %s: refused: the name is not UTF-8, which the JSON header cannot carry", proto.quote(filename)))
    return conn:sendall(struct.pack("i", 0)) ~= nil
  end
  local path, err = share:resolve(filename)
  local st = path and fs.stat(path)
  local sum
  if st and st.isfile then
    sum, err = md5_of(path, st)
  end
  if not (st and st.isfile and sum) then
    -- nsh fix: refuses ../ and absolute paths (fs.jail), and a missing file gets the class
    -- version's 0 instead of crashing the server as the first version did.
    print(string.format("get %s: %s", proto.quote(filename), err or "no such file"))
    return conn:sendall(struct.pack("i", 0)) ~= nil
  end
  local header = {filename = fs.basename(filename), md5 = sum, file_size = st.size}
  local offset = tonumber(cmds[3])
  if cmds[3] ~= nil then
    -- nsh extra: resume. An offset that does not fit the file restarts it from 0.
    if offset == nil or offset < 0 or offset % 1 ~= 0 or offset > st.size then
      offset = 0
    end
    header.offset = offset
  end
  offset = offset or 0
  if not proto.send_header(conn, header) then
    return false
  end
  local sent, serr, story = proto.send_file(conn, path, offset, st.size - offset)
  if serr ~= nil then
    -- nsh fix: a client that vanishes mid-transfer ends its own connection only
    print(string.format("get %s: stopped after %d of %d bytes: %s", proto.quote(filename), sent, st.size - offset, story or serr))
    return false
  end
  print(string.format("get %s: sent %d bytes from offset %d", proto.quote(filename), sent, offset))
  return true
end

local uploads = 0

-- put receives a file. rest holds bytes that came with the command (a stuck header). It
-- returns false when the connection is lost or cannot go on.
local function put(conn, rest)
  local function read(n)
    if #rest >= n then
      local out = string.sub(rest, 1, n)
      rest = string.sub(rest, n + 1)
      return out
    end
    local more, err, story = conn:recvexactly(n - #rest)
    if more == nil then
      return nil, err, story
    end
    local out = rest .. more
    rest = ""
    return out
  end
  local header, herr = proto.read_header(read)
  if not header then
    print("put: " .. tostring(herr or "the client sent a 0 header length"))
    return false
  end
  if not proto.utf8(header.filename) then
    -- nsh fix: a name that is not UTF-8 (raw bytes in the JSON) is refused before anything
    -- is printed or stored; its bytes follow, so the connection ends.
    print(string.format("put %s: refused: the name is not UTF-8", proto.quote(header.filename)))
    return false
  end
  print(proto.show(header))
  -- nsh fix: the header's filename is reduced to its last part and must stay in the folder
  -- (the document wrote to upload/<whatever the client said>).
  local name = fs.basename(header.filename)
  local final, err = upload:resolve(name)
  if final == nil or name == "." or name == ".." or string.sub(name, 1, 1) == "." then
    print(string.format("put %s: refused: %s", proto.quote(header.filename), err or "hidden or special name"))
    return false -- its bytes follow: the connection cannot go on
  end
  if header.file_size > max_size then
    print(string.format("put %s: refused: %d bytes is over --max-size %d", proto.quote(name), header.file_size, max_size))
    return false
  end
  -- nsh fix: received under a temporary name, published only when complete and verified; the
  -- temporary name holds no part of name, so it fits NAME_MAX whatever name's length
  uploads = uploads + 1
  local tmp = serve.check(upload:resolve(string.format(".put-%d-%d.part", os.time(), uploads)))
  local verify = proto.is_md5(header.md5)
  local got, rerr, story, digest = proto.recv_to_file(conn, tmp, header.file_size, {first = rest, md5 = verify})
  if rerr ~= nil then
    proto.remove(tmp)
    print(string.format("put %s: stopped after %d of %d bytes: %s; nothing stored", proto.quote(name), got, header.file_size, story or rerr))
    return false
  end
  if verify then
    local sum = digest
    if sum ~= header.md5 then
      proto.remove(tmp)
      print(string.format("put %s: md5 mismatch: header %s, received %s; nothing stored", proto.quote(name), proto.quote(header.md5), tostring(sum)))
      return true
    end
  else
    print(string.format("put %s: md5 not checked: the client sent \"%s\", not a digest", proto.quote(name), proto.quote(header.md5)))
  end
  local ok, merr = os.rename(tmp, final)
  if not ok then
    proto.remove(tmp)
    print(string.format("put %s: %s", proto.quote(name), proto.quote(merr)))
    return true
  end
  print(string.format("put %s: stored %d bytes", proto.quote(name), got))
  return true
end

-- split_command separates a command from bytes stuck after it. The document's server reads a
-- command with recv(8192), which can also take a put's 4-byte header length and header (TCP has
-- no message boundaries). nsh fix: such a header starts with a length below 64 KiB, so its
-- third and fourth bytes are zero (native little-endian 'i'), then comes the JSON's "{"; a
-- typed command has no zero bytes.
local function split_command(res)
  if string.sub(res, 1, 3) == "put" then
    local i = string.find(res, "\0\0{", 1, true)
    if i and i >= 3 then
      return string.sub(res, 1, i - 3), string.sub(res, i - 2)
    end
  end
  return res, ""
end

local server = serve.tcp(5) -- socket, bind, listen(5), then the ready line "listening on ..."
print("starting...")
serve.each(server, function(conn, client_addr)
  print(client_addr)
  while true do
    local res, err, story = conn:recv(8192)
    if res == nil then
      print(story or err) -- nsh fix: a reset ends this connection only
      break
    end
    if res == "" then
      break -- nsh fix: the client left (the document's `continue` looped forever here)
    end
    local text, rest = split_command(res)
    local cmds = proto.words(text)
    local go_on = true
    if cmds[1] == "get" then
      go_on = get(conn, cmds)
    elseif cmds[1] == "put" then
      go_on = put(conn, rest)
    else
      print("unknown command: " .. proto.quote(text)) -- the document ignores it too (hasattr)
    end
    if not go_on then
      break
    end
  end
end)
