# Seed 000 (000_f54574ad7420c1b1.txt), program 3: "simple FTP picture upload", the server.
# Changes from the document: curly quotes made ASCII; the file's statements put back on their
# lines; host and port come from argv (python3 server.py [HOST [PORT]], port 0 = any free port);
# the server prints the nsh harness's ready line "listening on HOST:PORT" after listen; BASE_DIR is
# the current directory instead of the script's folder (so tests can run it in a temp dir).
# Its flaws are kept: the header has no terminator (a header stuck to the data crashes the split),
# the filename is joined unchecked (../ escapes), files are opened for append, and when the client
# leaves, recv returns b'' and the split raises ValueError (the process ends).
import subprocess
import socket
import os
import sys

sk=socket.socket()
print(sk)
address=(sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
         int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
sk.bind(address)
sk.listen(3)
print("listening on %s:%d" % sk.getsockname()[:2], flush=True)
print('waiting......')
BASE_DIR=os.getcwd()
while 1:
    conn, addr = sk.accept()
    while 1:
        data=conn.recv(1024)
        cmd,filename,filesize=str(data,'utf8').split('|')
        path=os.path.join(BASE_DIR,'tupian',filename)
        filesize=int(filesize)
        f=open(path,'ab')
        has_receive=0
        while has_receive!=filesize:
            data=conn.recv(1024)
            f.write(data)
            has_receive+=len(data)
        f.close()
