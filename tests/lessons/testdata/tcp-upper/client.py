# Seed 004 (004_2238c7022b5357ff.txt): the TCP client ("客户端.py").
# Changes from the document: host and port come from argv (python3 client.py [HOST [PORT]],
# default 127.0.0.1:8081). At the end of input, input() raises EOFError as in the document.
import socket
import sys

ip_port=(sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
         int(sys.argv[2]) if len(sys.argv) > 2 else 8081)
BUFSIZE=1024
s=socket.socket(socket.AF_INET,socket.SOCK_STREAM)

s.connect_ex(ip_port)           #拨电话

while True:                             #新增通信循环,客户端可以不断发收消息
    msg=input('>>: ').strip()
    if len(msg) == 0:continue
    s.send(msg.encode('utf-8'))         #发消息,说话(只能发送字节类型)

    feedback=s.recv(BUFSIZE)                           #收消息,听话
    print(feedback.decode('utf-8'))

s.close()                                       #挂电话
