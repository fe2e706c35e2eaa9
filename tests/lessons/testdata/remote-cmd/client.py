# Seed 002 (002_3da697648a31ddfe.txt), Q9: the remote command client (struct 'i' header).
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:9999); the input loop
# ends at the end of input (EOFError) instead of dying with a traceback.
# Bug kept: the header is read with recv(1024), which may also swallow the output that follows the
# 4-byte header (sticky packets): struct.unpack('i') then fails. Against the document's server that
# happened in about half of the runs here; the nsh server pauses 0.1 s after the header (--pause)
# so that this client gets the 4 bytes alone, and the nsh client reads exactly 4 bytes.
# Like the document it decodes the output as GBK (Windows' Chinese code page).
# _*_ coding: utf-8 _*_
# 9,基于tcp socket,开发简单的远程命令执行程序,允许用户执行命令,并返回结果
import socket
import struct
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 9999)
sk = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
sk.connect(ip_port)
while True:
    try:
        cmd = input("请输入命令:>>").strip()
    except EOFError:
        break
    if not cmd:continue
    sk.send(cmd.encode('utf-8'))
    header_struct = sk.recv(1024)
    unpack_res = struct.unpack('i',header_struct)
    total_size = unpack_res[0]
    recv_size = 0
    total_data = b''
    while recv_size < total_size:
        recv_data = sk.recv(1024)
        recv_size += len(recv_data)
        total_data += recv_data
    print("返回的消息:%s"%total_data.decode('gbk'))
sk.close()
