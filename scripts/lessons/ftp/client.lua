-- Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP client, object-oriented version
-- (FTPClient): `get NAME` downloads into the download folder, `put NAME` uploads from the share
-- folder. Defaults as the class version: 127.0.0.1:8080, prompt ">>>:", recv(8192).
-- Wire format and nsh's resume extra: scripts/lessons/ftp/proto.lua.
-- nsh fixes, each marked "nsh fix" below: a real md5 is sent, and checked on arrival; a download
-- is written to download/.NAME.part (a shorter hashed name when that exceeds 255 bytes) and renamed only when complete and verified, and an
-- interrupted one resumes from where it stopped; the server's filename cannot leave the
-- download folder; a put of a missing file no longer sends its command; progress is a bar on
-- a terminal and plain lines otherwise; files are streamed, never held in memory.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")
local proto = require("lessons.ftp.proto")
local fs = require("fs")
local progress = require("progress")

local function folder(flag, default, create)
  local dir = lesson.flags[flag] or default
  if type(dir) ~= "string" then
    error(string.format("--%s needs a folder", flag), 0)
  end
  if create then
    serve.check(fs.mkdir(dir, {parents = true}))
  end
  return fs.jail(dir)
end

local sock = socket.socket(serve.family(lesson.host), socket.SOCK_STREAM)
serve.check(sock:connect(lesson.host, lesson.port))
sock = require("lessons.lib.tls").client(sock) -- nsh: --tls [--cafile FILE]

local function read(n)
  return sock:recvexactly(n)
end

-- get downloads cmds[2]. A part left by an interrupted download is resumed (nsh extra):
-- the request becomes `get NAME OFFSET`. fresh forces a download from the start.
local function get(cmds, fresh)
  local name = cmds[2]
  if name == nil then
    print("usage: get NAME")
    return
  end
  -- 下载的文件存放路径
  local download = serve.check(folder("download", "download", true))
  if not proto.utf8(name) then
    -- nsh fix: the protocol's JSON header cannot carry such a name (the server refuses it)
    print(string.format("get %s: refused: the file name is not UTF-8, which the protocol's JSON header cannot carry", proto.quote(name)))
    return
  end
  -- nsh fix: the part's name fits NAME_MAX even for a 255-byte name (a hash stands in)
  local part = serve.check(download:resolve(proto.temp_name(fs.basename(name), ".part")))
  local have = 0
  local st = fs.stat(part)
  if st and st.isfile and not fresh then
    have = st.size
  end
  local request = "get " .. name
  if have > 0 then
    request = request .. " " .. string.format("%d", have)
  end
  serve.check(sock:sendall(request))
  local header, err = proto.read_header(read)
  if header == false then
    print("文件不存在")
    return
  end
  if header == nil then
    error("get " .. name .. ": " .. err, 0)
  end
  print(proto.show(header))
  local file_size = header.file_size
  -- nsh fix: the server's filename is reduced to its last part inside the download folder
  local filename = fs.basename(header.filename)
  local final = download:resolve(filename)
  if final == nil or string.sub(filename, 1, 1) == "." then
    error(string.format("get %s: refusing the server's file name %q", name, header.filename), 0)
  end
  local offset = header.offset or 0
  if offset ~= have and offset ~= 0 then
    error(string.format("get %s: asked to resume at %d, the server sends from %d", name, have, offset), 0)
  end
  if have > 0 and offset == have then
    print(string.format("resuming at byte %d of %d", offset, file_size))
  end
  local bar = progress.new(file_size, filename)
  bar:add(offset)
  -- 第四步,接受真实的数据: appended to the part file (emptied first unless resuming), so a
  -- transfer that fails keeps what arrived for the next get to resume (the part is the temporary)
  local verify = proto.is_md5(header.md5)
  if offset == 0 then
    serve.check(fs.write(part, ""))
  end
  local got, rerr, story, digest = proto.recv_to_file(sock, part, file_size - offset, {
    append = true,
    md5 = verify,
    step = function(n) bar:add(n) end,
  })
  bar:done()
  if rerr ~= nil then
    error(string.format("get %s: the transfer stopped after %d of %d bytes (%s); %s keeps them: get %s again to resume",
      name, offset + got, file_size, story or rerr, part, name), 0)
  end
  -- nsh fix: the document sends 'xxxxxx' and never checks; nsh checks a real digest
  if verify then
    local sum = digest
    if sum ~= header.md5 then
      proto.remove(part)
      if offset > 0 then
        print(string.format("md5 mismatch after resuming (the file changed?): downloading %s again", name))
        return get(cmds, true)
      end
      error(string.format("get %s: md5 mismatch: header %s, received %s; nothing kept", name, header.md5, tostring(sum)), 0)
    end
    print("md5 ok: " .. sum)
  else
    print(string.format("md5 not checked: the server sent %q, not a digest", tostring(header.md5)))
  end
  serve.check(os.rename(part, final))
  print("下载成功!")
end

-- put uploads cmds[2] from the share folder.
local function put(cmds, msg)
  local name = cmds[2]
  if name == nil then
    print("usage: put NAME")
    return
  end
  -- nsh: the nsh server refuses hidden names (and then drops the connection, since the
  -- protocol has no answer to a put); say so here instead of sending the file for nothing.
  if not proto.utf8(name) then
    print(string.format("put %s: refused: the file name is not UTF-8, which the protocol's JSON header cannot carry", proto.quote(name)))
    return
  end
  if string.sub(fs.basename(name), 1, 1) == "." then
    print(string.format("put %s: refused: hidden names are not uploaded", name))
    return
  end
  -- 上传的文件存放路径
  local share = folder("share", "share", false)
  local path = share and name and share:resolve(name)
  local st = path and fs.stat(path)
  if not (st and st.isfile) then
    -- nsh fix: checked before the command goes out; the document had already sent
    -- `put NAME`, and its server then took the next command for a header.
    print("文件不存在")
    return
  end
  serve.check(sock:sendall(msg))
  -- The document's server reads the command with recv(8192), which could also swallow the
  -- header if it came right behind (nsh's server splits them; the document's cannot). A short
  -- pause lets that server read the command alone: it narrows the race, the protocol has no
  -- way to close it.
  sleep(0.05)
  local header = {filename = fs.basename(name), md5 = serve.check(fs.md5(path)), file_size = st.size}
  serve.check(proto.send_header(sock, header))
  local bar = progress.new(st.size, header.filename)
  local sent, err, story = proto.send_file(sock, path, 0, st.size, function(n) bar:add(n) end)
  bar:done()
  if err ~= nil then
    error(string.format("put %s: the transfer stopped after %d of %d bytes: %s", name, sent, st.size, story or err), 0)
  end
  print("上传成功!")
end

while true do
  -- get a.txt 下载 put a.txt 上传
  local msg = lesson.input(">>>:")
  if msg == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  msg = wire.strip(msg)
  if #msg > 0 then
    local cmds = proto.words(msg)
    if cmds[1] == "get" then
      get(cmds)
    elseif cmds[1] == "put" then
      put(cmds, msg)
    else
      print("commands: get NAME, put NAME")
    end
  end
end
sock:close()
