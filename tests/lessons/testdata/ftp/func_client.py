# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP client, function version (port 8080; get,
# and a put that does nothing).
# Changes from the document: statements the page ran together split onto their own lines; pickle
# replaced by JSON with the same fields; host and port come from argv (python3 func_client.py
# [HOST [PORT]], default 127.0.0.1:8080); download/ sits in $FTP_ROOT when it is set instead of
# beside this file; the input loop ends at the end of input (EOFError).
# Bugs kept (nsh fixes them): the md5 is never checked; the header is read with one
# recv(header_size), which may return less; the filename from the server is trusted.
# _*_ coding: utf-8 _*_
import socket
import struct
import json
import os
import sys
dirname = os.environ.get('FTP_ROOT') or os.path.dirname(os.path.abspath(__file__))
filepath = os.path.join(dirname, 'download')


def get(client):
    obj = client.recv(4)
    header_size = struct.unpack('i', obj)[0]
    if header_size == 0:
        print('文件不存在')
    else:
        header_types = client.recv(header_size)
        header_dic = json.loads(header_types.decode('utf-8'))
        print(header_dic)
        file_size = header_dic['file_size']
        filename = header_dic['filename']
        with open('%s/%s' % (filepath, filename), 'wb') as f:
            recv_size = 0
            while recv_size < file_size:
                res = client.recv(1024)
                f.write(res)
                recv_size += len(res)
                print('总大小:%s 已下载:%s' % (file_size, recv_size))


def put():
    pass


def run():
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
                    int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
    while True:
        try:
            msg = input(">>>:").strip()  # get a.txt
        except EOFError:
            break
        if not msg: continue
        client.send(msg.encode('utf-8'))
        cmds = msg.split()
        if cmds[0] == 'get':
            get(client)
        elif cmds[0] == 'put':
            put()
    client.close()


if __name__ == '__main__':
    run()
