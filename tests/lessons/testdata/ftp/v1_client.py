# Seed 002 (002_3da697648a31ddfe.txt), Q10: the FTP client, first version (port 8808, get only).
# Changes from the document: statements the page ran together split onto their own lines; host
# and port come from argv (python3 v1_client.py [HOST [PORT]], default 127.0.0.1:8808);
# downlaod_dir is $FTP_ROOT/download when FTP_ROOT is set instead of the author's
# r'D:\文件传输\client\download'; the input loop ends at the end of input (EOFError).
# Bugs kept (nsh fixes them): the 4-byte length is read with recv(1024), which also takes the
# header when it arrives in the same segment (struct.unpack then raises); the header is read with
# one recv(header_size), which may return less; the filename from the server is trusted.
# _*_ coding: utf-8 _*_
import socket
import struct
import json
import os
import sys
downlaod_dir = os.path.join(os.environ['FTP_ROOT'], 'download') if os.environ.get('FTP_ROOT') else r'D:\文件传输\client\download'
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8808)
phone = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
phone.connect(ip_port)
while True:
    try:
        cmd = input(">>>").strip()  # get D:\文件传输\server\a.avi
    except EOFError:
        break
    if not cmd: continue
    phone.send(cmd.encode('utf-8'))
    # 第一步,先收报头的长度,然后解包
    obj = phone.recv(1024)
    header_size = struct.unpack('i', obj)[0]
    # 第二部 再收报头
    header_bytes = phone.recv(header_size)
    # 第三部,从报头中解析除对真实数据的描述信息
    header_json = header_bytes.decode('utf-8')
    header_dic = json.loads(header_json)
    print(header_dic)
    total_size = header_dic['file_size']
    filename = header_dic['filename']
    # 第四步,接受真实的数据
    with open('%s/%s' % (downlaod_dir, filename), 'wb') as f:
        recv_size = 0
        while recv_size < total_size:
            res = phone.recv(1024)
            f.write(res)
            recv_size += len(res)
            print("总大小: %s \n已经下载大小 :%s" % (total_size, recv_size))
phone.close()
