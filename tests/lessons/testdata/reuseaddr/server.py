# Seed 004 (004_2238c7022b5357ff.txt): the TCP server with the document's fix for "address already
# in use": setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind, on 127.0.0.1:8080 as in its snippet.
# The serving loop is the document's TCP server (upper-cased replies). Host and port come from argv
# (python3 server.py [HOST [PORT]], port 0 = any free port); the nsh harness's ready line
# "listening on HOST:PORT" is printed after listen. With a third argument "noreuse" the setsockopt
# line is skipped, to show the failure.
from socket import *
import sys

phone=socket(AF_INET,SOCK_STREAM)
if len(sys.argv) <= 3 or sys.argv[3] != 'noreuse':
    phone.setsockopt(SOL_SOCKET,SO_REUSEADDR,1) #就是它,在bind前加
phone.bind((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
            int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
phone.listen(5)
print("listening on %s:%d" % phone.getsockname()[:2], flush=True)

while True:
    conn,addr=phone.accept()
    print(conn)
    print(addr)
    print('接到来自%s的电话' %addr[0])
    while True:
        msg=conn.recv(1024)
        if len(msg) == 0:break
        print(msg,type(msg))
        conn.send(msg.upper())
    conn.close()
