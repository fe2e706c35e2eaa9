# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP server, function version (port 8080; get, and
# a put that does nothing).
# Changes from the document: statements the page ran together split onto their own lines; pickle
# replaced by JSON with the same fields (pickle is Python-only and unsafe to load from a network);
# host and port come from argv (python3 func_server.py [HOST [PORT]], default 127.0.0.1:8080,
# port 0 = any free port) and the server prints the nsh harness's ready line "listening on
# HOST:PORT"; share/ sits in $FTP_ROOT when it is set instead of beside this file.
# Bug fixed: an empty recv (the client left) ends the communication loop; the document's
# `if not res: continue` spun forever on a closed connection.
# Bugs kept (nsh fixes them): the md5 is 'xxxxxx'; the filename is joined unchecked; put is
# `pass`, so the bytes a client sends after `put NAME` are read as the next commands.
# _*_ coding: utf-8 _*_
import socket
import os
import struct
import json
import sys
dirname = os.environ.get('FTP_ROOT') or os.path.dirname(os.path.abspath(__file__))
filepath = os.path.join(dirname, 'share')


def get(cmds, conn):
    filename = cmds[1]
    file_path = os.path.join(filepath, filename)
    if os.path.isfile(file_path):
        header = {
            'filename': filename,
            'md5': 'xxxxxx',
            'file_size': os.path.getsize(file_path)
        }
        header_bytes = json.dumps(header).encode('utf-8')
        conn.send(struct.pack('i', len(header_bytes)))
        conn.send(header_bytes)
        with open(file_path, 'rb') as f:
            for line in f:
                conn.send(line)
    else:
        conn.send(struct.pack('i', 0))


def put(cmds, conn):
    pass


def run():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
                 int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
    server.listen(5)
    print("listening on %s:%d" % server.getsockname()[:2], flush=True)
    print('starting...')
    while True:
        conn, client_addr = server.accept()
        print(client_addr)
        while True:
            try:
                res = conn.recv(1024)
                if not res: break
                cmds = res.decode('utf-8').split()
                if cmds[0] == 'get':
                    get(cmds, conn)
                elif cmds[0] == 'put':
                    put(cmds, conn)
            except ConnectionResetError:
                break
        conn.close()
    server.close()


if __name__ == '__main__':
    run()
