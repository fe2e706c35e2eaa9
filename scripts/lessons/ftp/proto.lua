-- lessons.ftp.proto: the wire format of seed 002's FTP (Q10), shared by the ftp lesson's server
-- and client. A transfer is struct.pack('i', len(header)), then the header (JSON in nsh, pickle
-- in the document, same fields), then the file's bytes; a header length of 0 means "no such
-- file". nsh's one extra is resuming a download: `get NAME OFFSET` asks for the bytes from OFFSET
-- on, and an nsh server that honours it adds "offset": OFFSET to the header (file_size and md5
-- stay those of the whole file). The document's server ignores the extra word and sends the
-- whole file without "offset", which the client takes as "start again from 0".
local struct = require("struct")
local json = require("json")
local fs = require("fs")
local codec = require("codec")

local M = {}

M.NAME_MAX = 255 -- the longest file name (one path component) Linux file systems take

-- M.utf8 reports whether s is valid UTF-8: the JSON header can carry no other file name.
function M.utf8(s)
  return (pcall(codec.decode, s, "utf-8"))
end

-- M.quote returns s fit for one line of the log: control characters (a newline could
-- forge a log line), backslashes and, in a name that is not UTF-8, every byte above 0x7f
-- are written as \n, \t, \r, \\ or \xNN; other text is left as it is.
function M.quote(s)
  s = tostring(s)
  local high = not M.utf8(s) and "\128-\255" or ""
  return (string.gsub(s, "[%z\1-\31\127\\" .. high .. "]", function(c)
    if c == "\n" then return "\\n" elseif c == "\t" then return "\\t" elseif c == "\r" then return "\\r"
    elseif c == "\\" then return "\\\\" end
    return string.format("\\x%02x", string.byte(c))
  end))
end

-- M.temp_name returns a hidden temporary name for name that fits NAME_MAX: "."..name..suffix
-- when it fits, else a short name made from a hash of name (the same name gives the same
-- temporary name, so a download can be resumed).
function M.temp_name(name, suffix)
  local t = "." .. name .. suffix
  if #t <= M.NAME_MAX then
    return t
  end
  local h = 0
  for i = 1, #name do
    h = (h * 31 + string.byte(name, i)) % 4294967296
  end
  return string.format(".%s-%08x%s", string.sub(name, 1, 64), h, suffix)
end

M.MAX_HEADER = 65535 -- a header is a few dozen bytes; refuse anything above 64 KiB
M.CHUNK = 262144 -- bytes per recv or sendfile step (progress is shown between steps)

-- M.is_md5 reports whether s is a real MD5 digest (32 hex digits), not a placeholder such as
-- the document's 'xxxxxx'.
function M.is_md5(s)
  return type(s) == "string" and #s == 32 and string.find(s, "^%x+$") ~= nil
end

-- M.encode_header returns the header JSON laid out as Python's json.dumps writes it, keys in
-- the document's order, so an nsh peer sends the same bytes as the Python one.
function M.encode_header(h)
  local parts = {
    '"filename": ' .. json.encode(h.filename),
    '"md5": ' .. json.encode(h.md5),
    '"file_size": ' .. string.format("%d", h.file_size),
  }
  if h.offset ~= nil then
    parts[#parts + 1] = '"offset": ' .. string.format("%d", h.offset)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local function whole(n)
  return type(n) == "number" and n >= 0 and n % 1 == 0 and n < 2 ^ 53
end

-- M.decode_header parses and checks a header: filename (a string), file_size and the optional
-- offset (whole numbers, offset <= file_size); md5 may be anything (it is checked only when it
-- is a real digest). Returns the table or nil, reason.
function M.decode_header(bytes)
  local ok, h = pcall(json.decode, bytes)
  if not ok or type(h) ~= "table" then
    return nil, "header is not JSON: " .. M.quote(string.sub(bytes, 1, 80))
  end
  if type(h.filename) ~= "string" or h.filename == "" then
    return nil, "header has no filename"
  end
  if not whole(h.file_size) then
    return nil, "header has a bad file_size: " .. tostring(h.file_size)
  end
  if h.offset ~= nil and not (whole(h.offset) and h.offset <= h.file_size) then
    return nil, "header has a bad offset: " .. tostring(h.offset)
  end
  return h
end

-- M.show returns the header as the document's print(header_dic) would show it, in JSON.
function M.show(h)
  return M.encode_header(h)
end

-- M.send_header sends the 4-byte length and the header.
function M.send_header(conn, h)
  local hb = M.encode_header(h)
  local ok, err, story = conn:sendall(struct.pack("i", #hb) .. hb)
  if ok == nil then
    return nil, err, story
  end
  return true
end

-- M.read_header reads a header with read(n) (exact reads). It returns the header table, or
-- false when the length is 0 ("no such file"), or nil, reason.
function M.read_header(read)
  local lb, err, story = read(4)
  if lb == nil then
    return nil, story or err
  end
  local n = struct.unpack("i", lb)
  if n == 0 then
    return false
  end
  if n < 0 or n > M.MAX_HEADER then
    return nil, string.format("bad header length %d", n)
  end
  local hb
  hb, err, story = read(n)
  if hb == nil then
    return nil, story or err
  end
  return M.decode_header(hb)
end

-- M.recv_to_file receives count bytes from conn into path. first holds bytes already read
-- from the stream (they are written first); append keeps what path holds. step(n) is called
-- after each chunk (progress). With md5, the fourth value is the hex digest of the whole file.
-- It returns the bytes received (first included), and on a short transfer also err, story.
-- With no early bytes it takes the socket's recvfile fast path: the kernel's bytes go
-- straight to the file, never into Lua, and the digest is computed on another core as they
-- arrive (md5 is slower than loopback: in line, it would halve the speed).
function M.recv_to_file(conn, path, count, opts)
  opts = opts or {}
  local first = opts.first or ""
  if first == "" then
    local n, err, story, partial = conn:recvfile(path, count, {append = opts.append, md5 = opts.md5, step = opts.step})
    if n == nil then
      return partial or 0, err, story
    end
    if n < count then
      return n, "closed", "the peer closed the connection"
    end
    return n, nil, nil, err
  end
  if not fs.exists(path) then
    -- fs.write creates the file with the usual 0644 (io.open would make it 0600)
    local ok, err, story = fs.write(path, "")
    if not ok then
      return 0, err, story
    end
  end
  local f, ferr = io.open(path, opts.append and "ab" or "wb")
  if not f then
    return 0, "open", ferr
  end
  local got = 0
  local function put(data)
    local ok, werr = f:write(data)
    if not ok then
      return nil, werr
    end
    got = got + #data
    if opts.step then
      opts.step(#data)
    end
    return true
  end
  if #first > 0 then
    local ok, werr = put(string.sub(first, 1, count))
    if not ok then
      f:close()
      return got, "write", werr
    end
  end
  while got < count do
    local data, err, story = conn:recv(math.min(M.CHUNK, count - got))
    if data == nil or data == "" then
      f:close()
      return got, err or "closed", story or "the peer closed the connection"
    end
    local ok, werr = put(data)
    if not ok then
      f:close()
      return got, "write", werr
    end
  end
  f:close()
  if opts.md5 then
    return got, nil, nil, fs.md5(path)
  end
  return got
end

-- M.send_file sends count bytes of path from offset with the socket's sendfile (the kernel
-- copies them), in CHUNK steps when step(n) wants progress. It returns the bytes sent, and
-- on a short transfer also err, story.
function M.send_file(conn, path, offset, count, step)
  if not step then
    local n, err, story, partial = conn:sendfile(path, offset, count)
    if n == nil then
      return partial or 0, err, story
    end
    if n < count then
      return n, "short", "the file ended early"
    end
    return n
  end
  local sent = 0
  while sent < count do
    local want = math.min(M.CHUNK * 16, count - sent)
    local n, err, story, partial = conn:sendfile(path, offset + sent, want)
    if n == nil then
      return sent + (partial or 0), err, story
    end
    sent = sent + n
    step(n)
    if n < want then
      return sent, "short", "the file ended early"
    end
  end
  return sent
end

-- M.words splits a command line on whitespace, as Python's str.split().
function M.words(text)
  local out = {}
  for w in string.gmatch(text, "%S+") do
    out[#out + 1] = w
  end
  return out
end

-- M.remove removes path if it exists.
function M.remove(path)
  if fs.exists(path) then
    os.remove(path)
  end
end

return M
