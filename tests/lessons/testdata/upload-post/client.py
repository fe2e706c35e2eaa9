# Seed 000 (000_f54574ad7420c1b1.txt), program 3: "simple FTP picture upload", the client.
# Changes from the document: curly quotes made ASCII; statements put back on their lines; host and
# port come from argv (python3 client.py [HOST [PORT]]); BASE_DIR is the current directory instead
# of the script's folder. Input lines look like "post|11.png". At the end of input, input() raises
# EOFError as in the document.
import socket
import os
import sys

sk=socket.socket()
address=(sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
         int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
sk.connect(address)
BASE_DIR=os.getcwd()
while True:
    inp=input('>>>').strip()# post|11.png
    cmd,path=inp.split('|')
    path=os.path.join(BASE_DIR,path)
    filename=os.path.basename(path)
    file_size=os.stat(path).st_size
    file_info='post|%s|%s'%(filename,file_size)
    sk.sendall(bytes(file_info,'utf8'))
    f=open(path,'rb')
    has_sent=0
    while has_sent!=file_size:
        data=f.read(1024)
        sk.sendall(data)
        has_sent+=len(data)
    f.close()
    print('上传成功')
