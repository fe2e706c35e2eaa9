# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP client, object-oriented version (FTPClient).
# Changes from the document: statements the page ran together split onto their own lines; pickle
# replaced by JSON with the same fields; host and port come from argv (python3 client.py [HOST
# [PORT]], default 127.0.0.1:8080); the download/ and share/ folders sit in $FTP_ROOT when it is
# set (the tests' temporary folder) instead of beside this file; the input loop ends at the end of
# input (EOFError) instead of dying with a traceback, and the socket is closed then.
# Bugs kept (the lesson is about them; nsh fixes them): the md5 is the placeholder 'xxxxxx' and is
# never checked; get writes the header's filename without checking it; a put of a missing file has
# already sent the command.
# _*_ coding: utf-8 _*_
import socket
import struct
import json
import os
import sys

ROOT = os.environ.get('FTP_ROOT') or os.path.dirname(os.path.abspath(__file__))


class FTPClient:
    address_family = socket.AF_INET
    socket_type = socket.SOCK_STREAM
    # 下载的文件存放路径
    down_filepath = os.path.join(ROOT, 'download')
    # 上传的文件存放路径
    upload_filepath = os.path.join(ROOT, 'share')
    coding = 'utf-8'
    max_recv_bytes = 8192

    def __init__(self, server_address, connect=True):
        self.server_address = server_address
        self.socket = socket.socket(self.address_family, self.socket_type)
        if connect:
            try:
                self.client_connect()
            except Exception:
                self.client_close()

    def client_connect(self):
        self.socket.connect(self.server_address)

    def client_close(self):
        self.socket.close()

    def run(self):
        while True:
            # get a.txt 下载 put a.txt 上传
            try:
                msg = input(">>>:").strip()
            except EOFError:
                break
            if not msg: continue
            self.socket.send(msg.encode(self.coding))
            cmds = msg.split()
            if hasattr(self,cmds[0]):
                func = getattr(self,cmds[0])
                func(cmds)

    def get(self, cmds):
        """ 下载
        1.得到 header_size
        2.得到 header_types header_dic
        3.得到 file_size file_name
        4.以写的形式 打开文件
        :param cmds: 下载的内容 eg: cmds = ['get','a.txt']
        :return:
        """
        obj = self.socket.recv(4)
        header_size = struct.unpack('i', obj)[0]
        if header_size == 0:
            print('文件不存在')
        else:
            header_types = self.socket.recv(header_size)
            header_dic = json.loads(header_types.decode(self.coding))
            print(header_dic)
            file_size = header_dic['file_size']
            filename = header_dic['filename']
            with open('%s/%s' % (self.down_filepath, filename), 'wb') as f:
                recv_size = 0
                while recv_size < file_size:
                    res = self.socket.recv(self.max_recv_bytes)
                    f.write(res)
                    recv_size += len(res)
                    print('总大小:%s 已下载:%s' % (file_size, recv_size))
                else:
                    print('下载成功!')

    def put(self, cmds):
        """ 上传
        1.查看上传的文件是否存在
        2.上传文件 header_size
        3.上传文件 header_bytes
        4.以读的形式 打开文件 send(line)
        :param cmds: 上传的内容 eg: cmds = ['put','a.txt']
        :return:
        """
        filename = cmds[1]
        file_path = os.path.join(self.upload_filepath, filename)
        if os.path.isfile(file_path):
            file_size = os.path.getsize(file_path)
            header = {
                'filename': os.path.basename(filename),
                'md5': 'xxxxxx',
                'file_size': file_size
            }
            header_bytes = json.dumps(header).encode(self.coding)
            self.socket.send(struct.pack('i', len(header_bytes)))
            self.socket.send(header_bytes)
            with open(file_path, 'rb') as f:
                send_bytes = b''
                for line in f:
                    self.socket.send(line)
                    send_bytes += line
                    print('总大小:%s 已上传:%s' % (file_size, len(send_bytes)))
                else:
                    print('上传成功!')
        else:
            print('文件不存在')


ftp_client = FTPClient((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
                        int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
ftp_client.run()
ftp_client.client_close()
