-- Seed 002 (002_3da697648a31ddfe.txt), Q9: the remote command server ("服务端"): header
-- struct.pack('i', len(stdout)+len(stderr)), then stderr, then stdout. Defaults: 127.0.0.1:9999,
-- listen(5), recv(1024).
-- nsh: safe by default. A command runs only with --allow-exec (through /bin/sh -c, as the
-- original's shell=True) or when its program is in --allow (run from its words, no shell);
-- otherwise the answer is a refusal on stderr, in the same framing. Commands time out
-- (--timeout) and their output is capped (--max-output).
local serve = require("lessons.lib.serve")
local policy_lib = require("lessons.lib.exec_policy")
local struct = require("struct")

local policy = policy_lib.policy(lesson.flags)
local pause = tonumber(lesson.flags.pause or 0.1)
if pause == nil or pause < 0 then
  error("--pause needs a number of seconds >= 0", 0)
end
local sk = serve.tcp(5)
-- nsh fix: one task per connection (the original serves one client at a time).
serve.each(sk, function(conn, addr)
  print(conn, addr)
  while true do -- 通信循环
    local client_data, err, story = conn:recv(1024)
    if client_data == nil then
      print(story or err) -- nsh fix: a reset ends this connection only, not the server
      break
    end
    if client_data == "" then
      break -- nsh fix: the client left; the original ran the empty command forever
    end
    -- 处理过程
    local stdout, stderr, note = policy_lib.run(policy, client_data)
    print(note)
    -- 先发报头(转成固定长度的bytes类型,那么怎么转呢?就用到了struct模块)
    local header = struct.pack("i", #stdout + #stderr)
    serve.check(conn:sendall(header))
    -- nsh: the document's client reads the header with recv(1024), which also takes output
    -- sent right behind it, and struct.unpack('i') then fails (half the time on loopback).
    -- A short pause lets that client get the 4 bytes alone; nsh's client reads exactly 4
    -- bytes and needs none (--pause 0).
    if pause > 0 and #stdout + #stderr > 0 then
      sleep(pause)
    end
    serve.check(conn:sendall(stderr))
    serve.check(conn:sendall(stdout))
  end
end)
