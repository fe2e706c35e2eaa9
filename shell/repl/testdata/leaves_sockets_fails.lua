-- opens two sockets and fails: .run closes what it left open
left_srv = socket.bind("127.0.0.1", 0)
local u = socket.udp4()
error("the script fails")
