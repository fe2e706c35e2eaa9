-- Seed 000 (000_f54574ad7420c1b1.txt), program 3: the "simple FTP picture upload" client.
-- Input lines look like "post|11.png"; it sends "post|<basename>|<size>" and then the file.
local wire = require("lessons.lib.wire")

local PAUSE = tonumber(lesson.flags.pause or 0.2) or error("--pause needs a number of seconds", 0)

local sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if string.find(lesson.host, ":", 1, true) then
  sk = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
end
local ok, err, story = sk:connect(lesson.host, lesson.port)
if ok == nil and err ~= nil then
  error(story or err, 0)
end

local sent_before = false -- a file went out on this connection already

-- send_file sends header and data; it returns false when the connection can no longer be used.
local function send_file(path)
  -- nsh fix: a missing file or a folder is reported (the original crashes in os.stat)
  local st, serr = fs.stat(path)
  if st == nil or not st.isfile then
    print(string.format("cannot upload %s: %s", path, serr or "not a regular file"))
    return true
  end
  local filename = fs.basename(path)
  if string.find(filename, "|", 1, true) then
    print(string.format("cannot upload %s: a '|' in the name would break the header", path))
    return true
  end
  local f, ferr = io.open(path, "rb")
  if f == nil then
    print(string.format("cannot upload %s: %s", path, ferr))
    return true
  end
  local file_size = st.size
  -- nsh: the header has no terminator. A pause before and after it lets a server that reads
  -- it with one recv(1024), like the original, get it alone (not glued to the end of the
  -- previous file or to the start of this one); TCP itself promises nothing, and the nsh
  -- server does not need the pauses.
  if PAUSE > 0 and sent_before then
    sleep(PAUSE)
  end
  sk:sendall(string.format("post|%s|%d", filename, file_size))
  sent_before = true
  if PAUSE > 0 then
    sleep(PAUSE)
  end
  local has_sent = 0
  while has_sent < file_size do
    local data = f:read(math.min(65536, file_size - has_sent))
    if data == nil then
      f:close()
      -- the file shrank while being sent: the server still waits for the promised bytes
      error(string.format("%s shrank while being sent (%d of %d bytes): connection unusable", path, has_sent, file_size), 0)
    end
    local sent, werr, wstory = sk:sendall(data)
    if sent == nil and werr ~= nil then
      f:close()
      error(wstory or werr, 0)
    end
    has_sent = has_sent + #data
  end
  f:close()
  print("上传成功")
  return true
end

while true do
  local inp = lesson.input(">>>")
  if inp == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  inp = wire.strip(inp)
  if inp ~= "" then
    local cmd, path = string.match(inp, "^([^|]*)|(.+)$")
    if cmd ~= "post" then
      print('usage: post|FILE   (e.g. post|11.png)') -- the original crashes on other input
    elseif not send_file(path) then
      break
    end
  end
end
sk:close()
