-- Seed 002 (002_3da697648a31ddfe.txt), Q12/Q13: the UDP time server ("服务端"): `time` is
-- answered with time.strftime('%Y-%m-%d %H:%M:%S', time.localtime()). Defaults:
-- 127.0.0.1:8080, recvfrom(1024).
-- nsh fixes: the original ran every datagram, `time` included, as a shell command, so `time`
-- got two datagrams (the shell's output, then the time) and the client, reading one per
-- request, printed the wrong one. nsh answers `time` with the time only, and runs other text
-- only with --allow-exec (any command, /bin/sh -c) or --allow PROG,PROG (those programs, no
-- shell); otherwise it answers with a refusal. Commands time out and the answer is capped so it
-- fits one datagram the client can take whole.
local serve = require("lessons.lib.serve")
local policy_lib = require("lessons.lib.exec_policy")
local time = require("time")

local policy = policy_lib.policy(lesson.flags, {timeout = 5, max_output = 1024})
local server = serve.udp() -- socket, bind, then the ready line "listening on ..."
while true do
  local data, client_addr, story = server:recvfrom(1024)
  if data == nil then
    if client_addr == "interrupted" then
      break
    end
    print(story or client_addr) -- nsh fix: one bad datagram does not stop the server
  else
    print(data, client_addr)
    local answer
    if data == "time" then
      answer = time.strftime("%Y-%m-%d %H:%M:%S")
    else
      local stdout, stderr, note = policy_lib.run(policy, data)
      print(note)
      answer = stdout .. stderr -- the original's order for this reply
      if #answer > policy.max_output then
        local note = string.format("\nnsh: answer cut at %d bytes\n", policy.max_output)
        answer = string.sub(answer, 1, math.max(policy.max_output - #note, 0)) .. note
      end
    end
    server:sendto(answer, client_addr.host, client_addr.port)
  end
end
