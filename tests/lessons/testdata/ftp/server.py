# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP server, object-oriented version (TCPServer).
# Changes from the document: statements the page ran together split onto their own lines; pickle
# replaced by JSON with the same fields (pickle is Python-only and unsafe to load from a network);
# host and port come from argv (python3 server.py [HOST [PORT]], default 127.0.0.1:8080, port 0 =
# any free port) and the server prints the nsh harness's ready line "listening on HOST:PORT"; the
# share/ and upload/ folders sit in $FTP_ROOT when it is set (the tests' temporary folder) instead
# of beside this file.
# Added for the tests: put prints "stored FILENAME" when the file is written (the document prints
# nothing, and a test needs to know when the upload is complete).
# Bug fixed: an empty recv (the client left) ends the communication loop; the document's
# `if not res: continue` spun forever on a closed connection.
# Bugs kept (the lesson is about them; nsh fixes them): the md5 is the placeholder 'xxxxxx'; put
# trusts the header's filename; the command recv(8192) can swallow a put's header.
# _*_ coding: utf-8 _*_
import socket
import os
import struct
import json
import sys

ROOT = os.environ.get('FTP_ROOT') or os.path.dirname(os.path.abspath(__file__))


class TCPServer:
    address_family = socket.AF_INET
    socket_type = socket.SOCK_STREAM
    listen_count = 5
    max_recv_bytes = 8192
    coding = 'utf-8'
    allow_reuse_address = False
    # 下载的文件存放路径
    down_filepath = os.path.join(ROOT, 'share')
    # 上传的文件存放路径
    upload_filepath = os.path.join(ROOT, 'upload')

    def __init__(self,server_address,bind_and_listen=True):
        self.server_address = server_address
        self.socket = socket.socket(self.address_family,self.socket_type)
        if bind_and_listen:
            try:
                self.server_bind()
                self.server_listen()
            except Exception:
                self.server_close()

    def server_bind(self):
        if self.allow_reuse_address:
            self.socket.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
        self.socket.bind(self.server_address)

    def server_listen(self):
        self.socket.listen(self.listen_count)
        print("listening on %s:%d" % self.socket.getsockname()[:2], flush=True)

    def server_close(self):
        self.socket.close()

    def server_accept(self):
        return self.socket.accept()

    def conn_close(self,conn):
        conn.close()

    def run(self):
        print('starting...')
        while True:
            self.conn,self.client_addr = self.server_accept()
            print(self.client_addr)
            while True:
                try:
                    res = self.conn.recv(self.max_recv_bytes)
                    if not res:break
                    cmds = res.decode(self.coding).split()
                    if hasattr(self,cmds[0]):
                        func = getattr(self,cmds[0])
                        func(cmds)
                except Exception:
                    break
            self.conn_close(self.conn)

    def get(self,cmds):
        """ 下载
        1.找到下载的文件
        2.发送 header_size
        3.发送 header_bytes file_size
        4.读文件 rb 发送 send(line)
        5.若文件不存在,发送0 client提示:文件不存在
        :param cmds: 下载的文件 eg:['get','a.txt']
        :return:
        """
        filename = cmds[1]
        file_path = os.path.join(self.down_filepath, filename)
        if os.path.isfile(file_path):
            header = {
                'filename': filename,
                'md5': 'xxxxxx',
                'file_size': os.path.getsize(file_path)
            }
            header_bytes = json.dumps(header).encode(self.coding)
            self.conn.send(struct.pack('i', len(header_bytes)))
            self.conn.send(header_bytes)
            with open(file_path, 'rb') as f:
                for line in f:
                    self.conn.send(line)
        else:
            self.conn.send(struct.pack('i', 0))

    def put(self,cmds):
        """ 上传
        1.接收4个bytes  得到文件的 header_size
        2.根据 header_size  得到 header_bytes  header_dic
        3.根据 header_dic  得到 file_size
        3.以写的形式 打开文件 f.write()
        :param cmds: 下载的文件 eg:['put','a.txt']
        :return:
        """
        obj = self.conn.recv(4)
        header_size = struct.unpack('i', obj)[0]
        header_bytes = self.conn.recv(header_size)
        header_dic = json.loads(header_bytes.decode(self.coding))
        print(header_dic)
        file_size = header_dic['file_size']
        filename = header_dic['filename']
        with open('%s/%s' % (self.upload_filepath, filename), 'wb') as f:
            recv_size = 0
            while recv_size < file_size:
                res = self.conn.recv(self.max_recv_bytes)
                f.write(res)
                recv_size += len(res)
        print('stored', filename)


tcp_server = TCPServer((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
                        int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
tcp_server.run()
tcp_server.server_close()
