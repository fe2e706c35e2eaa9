# Seed 002 (002_3da697648a31ddfe.txt), Q7 "what are sticky packets": the document answers in prose
# only (no program), so this server was written for nsh's sticky-packets lesson in the document's
# style (socket + struct 'i' headers as in its Q9 and Q10) to check the nsh client against Python.
# python3 server.py [HOST [PORT [WAIT]]], default 127.0.0.1:8990, WAIT 0.5 s; port 0 = any free
# port; prints the nsh harness's ready line "listening on HOST:PORT" after listen.
#
# Every connection starts with one mode byte:
#   s  sticky: wait WAIT seconds, then ONE recv(1024); reply struct 'i' length + what it returned
#   f  framed: wait WAIT seconds, then read 'i'-length-prefixed messages until EOF and reply each
#      one framed the same way
#   e  echo: like f without the wait (the client times rounds with and without TCP_NODELAY)
# _*_ coding: utf-8 _*_
import socket
import struct
import sys
import time


def recv_exactly(conn, n):
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8990)
wait = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(ip_port)
server.listen(5)
print("listening on %s:%d" % server.getsockname()[:2], flush=True)
while True:
    conn, addr = server.accept()
    mode = conn.recv(1)
    if mode == b's':
        time.sleep(wait)
        data = conn.recv(1024)
        print('sticky:', data)
        conn.send(struct.pack('i', len(data)) + data)
    elif mode in (b'f', b'e'):
        if mode == b'f':
            time.sleep(wait)
        while True:
            header = recv_exactly(conn, 4)
            if header is None:
                break
            msg = recv_exactly(conn, struct.unpack('i', header)[0])
            if mode == b'f':
                print('framed:', msg)
            conn.send(struct.pack('i', len(msg)) + msg)
    conn.close()
