# Seed 002 (002_3da697648a31ddfe.txt), Q8: the one-message chat server.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 server.py [HOST [PORT]], default 127.0.0.1:8088 as in the document,
# port 0 = any free port) and the server prints the nsh harness's ready line "listening on HOST:PORT"
# after listen. Otherwise as in the document.
# _*_ coding: utf-8 _*_
# 8,基于socket开发一个聊天程序,实现两端互相发送和接收消息
import socket
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8088)
link = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
link.bind(ip_port)
link.listen(5)
print("listening on %s:%d" % link.getsockname()[:2], flush=True)
print("等待数据连接:。。》》")
# 阻塞直到有连接为止,有了一个新连接进来后,就会为这个请求生成一个连接对象
conn, addr = link.accept()
client_data = conn.recv(1024)
print("这是收到的消息:",client_data.decode('utf-8'))
conn.send(client_data.upper())
conn.close()
link.close()
