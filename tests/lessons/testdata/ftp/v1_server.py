# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP server, first version (port 8808, get only,
# JSON header, 'md5': 'dsdsd').
# Changes from the document: statements the page ran together split onto their own lines; host
# and port come from argv (python3 v1_server.py [HOST [PORT]], default 127.0.0.1:8808, port 0 =
# any free port) and the server prints the nsh harness's ready line "listening on HOST:PORT";
# share_dir is $FTP_ROOT/share when FTP_ROOT is set (the tests' temporary folder) instead of the
# author's '/文件传输/server/share'.
# Bug fixed: an empty recv (the client left) ends the communication loop; the document's
# `if not res :continue` spun forever on a closed connection.
# Bugs kept (nsh fixes them): the md5 is 'dsdsd'; a missing file raises FileNotFoundError, which
# only ConnectionResetError is caught for, so the server dies without answering; the filename is
# joined unchecked.
# _*_ coding: utf-8 _*_
import subprocess
import socket
import struct
import json
import os
import sys
share_dir = os.path.join(os.environ['FTP_ROOT'], 'share') if os.environ.get('FTP_ROOT') else r'/文件传输/server/share'
phone = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8808)
phone.bind(ip_port)
phone.listen(5)
print("listening on %s:%d" % phone.getsockname()[:2], flush=True)
print("starting....")
while True:  # 链接循环
    conn, client_addr = phone.accept()
    print(client_addr)
    while True:  # 通信循环
        try:
            # 收命令
            res = conn.recv(1024)  # b'get a.txt'
            if not res: break
            # 解析命令,提取相应的参数
            cmds = res.decode('utf-8').split()
            filename = cmds[1]
            # 制定固定长度的报头
            header_dic = {
                'filename': filename,  # a.avi
                'md5': 'dsdsd',
                'file_size': os.path.getsize(r"%s/%s" % (share_dir, filename))
            }
            header_json = json.dumps(header_dic)
            header_bytes = header_json.encode('utf-8')
            # 先发送报头的长度
            conn.send(struct.pack('i', len(header_bytes)))
            # 再发报头
            conn.send(header_bytes)
            # 再发真实的数据
            with open('%s/%s' % (share_dir, filename), 'rb') as f:
                for line in f:
                    conn.send(line)
        except ConnectionResetError:
            break
    conn.close()
phone.close()
