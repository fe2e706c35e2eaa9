# Seed 004 (004_2238c7022b5357ff.txt): the TCP server ("服务端.py").
# Changes from the document: host and port come from argv (python3 server.py [HOST [PORT]],
# default 127.0.0.1:8081, port 0 = any free port); the nsh harness's ready line
# "listening on HOST:PORT" is printed after listen. Otherwise as in the document.
#_*_coding:utf-8_*_
import socket
import sys

ip_port=(sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
         int(sys.argv[2]) if len(sys.argv) > 2 else 8081)#电话卡 设置端口
BUFSIZE=1024 #设置端口每次接收数据的大小,长度
s=socket.socket(socket.AF_INET,socket.SOCK_STREAM) #买手机
s.bind(ip_port) #手机插卡 1 绑定端口 s.bind((ip,port))
s.listen(5)     #手机待机 2 监听
print("listening on %s:%d" % s.getsockname()[:2], flush=True)


while True:                         #新增接收链接循环,可以不停的接电话
    conn,addr=s.accept()            #手机接电话
    print(conn)
    print(addr)
    print('接到来自%s的电话' %addr[0])
    while True:                         #新增通信循环,可以不断的通信,收发消息
        msg=conn.recv(BUFSIZE)             #听消息,听话

        if len(msg) == 0:break        #如果不加,那么正在链接的客户端突然断开,recv便不再阻塞,死循环发生

        print(msg,type(msg))

        conn.send(msg.upper())          #发消息,说话

    conn.close()                    #挂电话

s.close()  # 挂电话
