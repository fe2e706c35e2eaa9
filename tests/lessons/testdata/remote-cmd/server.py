# Seed 002 (002_3da697648a31ddfe.txt), Q9: the remote command server (struct 'i' header).
# Changes from the document: statements the page ran together split onto their own lines and the
# loops indented as the comments describe (connection loop, communication loop); host and port come
# from argv (python3 server.py [HOST [PORT]], default 127.0.0.1:9999, port 0 = any free port) and
# the server prints the nsh harness's ready line "listening on HOST:PORT" after listen.
# Bug fixed: an empty recv (the client left) ends the communication loop; the document's loop ran
# the empty command forever on a dead connection.
# WARNING: like the original it runs whatever it receives as a shell command. Tests bind it to
# 127.0.0.1 only.
# _*_ coding: utf-8 _*_
# 9,基于tcp socket,开发简单的远程命令执行程序,允许用户执行命令,并返回结果
import socket
import struct
import subprocess
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 9999)
sk = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
sk.bind(ip_port)
sk.listen(5)
print("listening on %s:%d" % sk.getsockname()[:2], flush=True)
while True: #连接循环
    conn,addr = sk.accept()
    print(conn,addr)
    while True: #通信循环
        client_data = conn.recv(1024)
        if not client_data: break
        #处理过程
        res = subprocess.Popen(client_data.decode('utf-8'),shell=True,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        stdout = res.stdout.read()
        stderr = res.stderr.read()
        # 先发报头(转成固定长度的bytes类型,那么怎么转呢?就用到了struct模块)
        length = len(stdout)+len(stderr)
        header = struct.pack('i',length)
        conn.send(header)
        conn.send(stderr)
        conn.send(stdout)
    conn.close()
sk.close()
