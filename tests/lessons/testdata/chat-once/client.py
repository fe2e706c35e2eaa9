# Seed 002 (002_3da697648a31ddfe.txt), Q8: the one-message chat client.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:8088). Otherwise as in
# the document (it prints the reply as a bytes literal, b'...', and reads with recv(1028)).
# _*_ coding: utf-8 _*_
# 8,基于socket开发一个聊天程序,实现两端互相发送和接收消息/
import socket
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8088)
link = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
link.connect(ip_port)
print("开始发送数据")
cmd = input("请输入:>>").strip()
link.send(cmd.encode('utf-8'))
data = link.recv(1028)
print(data)
link.close()
