# Seed 001 (001_394bf0749423bbd3.txt), section 3.3: the UDP server skeleton.
# Changes from the document: "socket.socket(AF_INET,SOCK.DGRAM)" after "from socket import *" is
# socket(AF_INET, SOCK_DGRAM); bind takes a (host, port) pair from argv (python3 server.py
# [HOST [PORT]], default 127.0.0.1:9000, the document names none; port 0 = any free port);
# "recvfrom()/sendto(xxx)" is filled in as receive a datagram (up to 65535 bytes, the UDP limit
# the document mentions) and send it back to its sender; the ready line "listening on HOST:PORT"
# of the nsh harness is printed after bind.
from socket import *
import sys

#创建服务器套接字
udpSocket = socket(AF_INET,SOCK_DGRAM)
#绑定服务器套接字
udpSocket.bind((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
                int(sys.argv[2]) if len(sys.argv) > 2 else 9000))
print("listening on %s:%d" % udpSocket.getsockname()[:2], flush=True)
#服务器无限循环,等待连接
while True:
    #接受客户端传入/发送数据
    data, addr = udpSocket.recvfrom(65535)
    print(addr, data)
    udpSocket.sendto(data, addr)
#关闭套接字
udpSocket.close()
