-- smtp_send.lua: LuaSocket's socket.smtp sends to the aiosmtpd peer whose
-- ports are in SMTP_PORTS ("login+plain plain-only"): message sources of
-- every kind (a string, smtp.message with a body, a multipart with a base64
-- attachment through an ltn12 filter chain, a nested multipart, a
-- function), several recipients, AUTH LOGIN and PLAIN, and the errors (a
-- refused recipient, a wrong password, no server). The same under C
-- LuaSocket and nsh; the peer prints what it received.
local smtp = require("socket.smtp")
local mime = require("mime")
local ltn12 = require("ltn12")
local p1, p2 = string.match(os.getenv("SMTP_PORTS"), "(%d+) (%d+)")
p1, p2 = tonumber(p1), tonumber(p2)

local function show(name, r, e)
  print(name, tostring(r), tostring(e))
end

local function headers(subject)
  return {
    to = "Bob <bob@example.com>",
    from = "Alice <alice@example.com>",
    subject = subject,
    date = "Thu, 03 Dec 2026 12:00:00 +0000",
    ["x-mailer"] = "smtp_send.lua",
  }
end

-- 1. a plain message, a dot at the start of a line, two recipients
show("message", smtp.send{
  from = "<alice@example.com>",
  rcpt = {"<bob@example.com>", "<carol@example.com>"},
  source = smtp.message{headers = headers("plain"),
    body = "Hello Bob,\r\n.a line starting with a dot\r\n..two dots\r\nbye\r\n"},
  server = "127.0.0.1", port = p1,
})

-- 2. a multipart message: text, a base64 attachment through a filter chain,
--    a nested multipart/alternative, a quoted-printable part
local blob = {}
for i = 0, 3000 do blob[#blob + 1] = string.char(i % 256) end
blob = table.concat(blob)
local src = smtp.message{
  headers = headers("multipart"),
  body = {
    preamble = "This is a multipart message.",
    [1] = {headers = {["content-type"] = 'text/plain; charset="utf-8"'}, body = "the text part\r\n"},
    [2] = {
      headers = {
        ["content-type"] = 'application/octet-stream; name="blob.bin"',
        ["content-disposition"] = 'attachment; filename="blob.bin"',
        ["content-transfer-encoding"] = "BASE64",
      },
      body = ltn12.source.chain(ltn12.source.string(blob),
        ltn12.filter.chain(mime.encode("base64"), mime.wrap())),
    },
    [3] = {
      body = {
        [1] = {headers = {["content-type"] = "text/plain"}, body = "alternative one\r\n"},
        [2] = {headers = {["content-type"] = "text/html"}, body = "<p>alternative two</p>\r\n"},
      },
    },
    [4] = {
      headers = {["content-type"] = "text/plain; charset=latin1", ["content-transfer-encoding"] = "quoted-printable"},
      body = ltn12.source.chain(ltn12.source.string("caf\233 cr\232me = " .. string.rep("long ", 30) .. "\r\n"),
        ltn12.filter.chain(mime.normalize(), mime.encode("quoted-printable"), mime.wrap("quoted-printable"))),
    },
    epilogue = "the end",
  },
}
show("multipart", smtp.send{from = "<alice@example.com>", rcpt = "<bob@example.com>", source = src,
  server = "127.0.0.1", port = p1})

-- 3. a source function giving the message in pieces, AUTH LOGIN (offered first)
local pieces = {"Subject: pieces\r\n", "\r\n", "one\r\n", "two\r\n.", "three\r\n"}
local i = 0
show("auth login", smtp.send{from = "<alice@example.com>", rcpt = "<bob@example.com>",
  source = function() i = i + 1 return pieces[i] end,
  user = "alice", password = "secret", server = "127.0.0.1", port = p1})

-- 4. AUTH PLAIN, the only mechanism of the second server; a string source
show("auth plain", smtp.send{from = "<alice@example.com>", rcpt = "<bob@example.com>",
  source = ltn12.source.string("Subject: plain auth\r\n\r\nbody\r\n"),
  user = "carol", password = "secret", server = "127.0.0.1", port = p2})

-- 5. errors: a wrong password, a refused recipient, no server at all
show("bad password", smtp.send{from = "<alice@example.com>", rcpt = "<bob@example.com>",
  source = ltn12.source.string("x\r\n"), user = "alice", password = "wrong", server = "127.0.0.1", port = p1})
show("bad rcpt", smtp.send{from = "<alice@example.com>", rcpt = {"<bob@example.com>", "<nobody@bad.example>"},
  source = ltn12.source.string("x\r\n"), server = "127.0.0.1", port = p1})
local dead = require("socket").bind("127.0.0.1", 0)
local _, dport = dead:getsockname()
dead:close()
show("no server", smtp.send{from = "<alice@example.com>", rcpt = "<bob@example.com>",
  source = ltn12.source.string("x\r\n"), server = "127.0.0.1", port = dport})

-- 6. the low-level interface: open, greet, send, quit, close
local s = assert(smtp.open("127.0.0.1", p1))
local ext = s:greet("client.example")
print("ext has AUTH", string.find(ext, "AUTH") ~= nil)
s:send{from = "<low@example.com>", rcpt = "<bob@example.com>", source = ltn12.source.string("Subject: low\r\n\r\nlevel\r\n")}
print("quit", s:quit())
s:close()
