# Seed 002 (002_3da697648a31ddfe.txt), Q7 "what are sticky packets": the document answers in prose
# only (no program), so this client was written for nsh's sticky-packets lesson in the document's
# style (socket + struct 'i' headers as in its Q9 and Q10) to check the nsh server against Python.
# python3 client.py [HOST [PORT [ROUNDS]]], default 127.0.0.1:8990, 20 rounds.
# The protocol is described in server.py.
# _*_ coding: utf-8 _*_
import socket
import struct
import sys
import time

ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8990)
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20


def recv_exactly(conn, n):
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


# 1. two quick sends, one recv on the other side
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(ip_port)
client.send(b's')
client.send('hello'.encode('utf-8'))
client.send('james'.encode('utf-8'))
size = struct.unpack('i', recv_exactly(client, 4))[0]
print('sticky: one recv(1024) got', recv_exactly(client, size))
client.close()

# 2. the fix: a 4-byte struct 'i' length before every message
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(ip_port)
client.send(b'f')
for word in ('hello', 'james'):
    client.send(struct.pack('i', len(word)))
    client.send(word.encode('utf-8'))
client.shutdown(socket.SHUT_WR)
while True:
    header = recv_exactly(client, 4)
    if header is None:
        break
    print('framed: message', recv_exactly(client, struct.unpack('i', header)[0]))
client.close()

# 3. send(header), send(body), recv(reply) rounds with Nagle's algorithm on (the default) and off
for nodelay in (0, 1):
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, nodelay)
    client.connect(ip_port)
    client.send(b'e')
    start = time.time()
    for i in range(rounds):
        client.send(struct.pack('i', 5))
        client.send(b'hello')
        recv_exactly(client, struct.unpack('i', recv_exactly(client, 4))[0])
    took = (time.time() - start) / rounds * 1000
    print('TCP_NODELAY=%d: %d rounds, %.2f ms a round' % (nodelay, rounds, took))
    client.close()
