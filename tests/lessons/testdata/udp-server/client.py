# Seed 001 (001_394bf0749423bbd3.txt): the document has no UDP client; this one follows its
# description (create a SOCK_DGRAM socket, sendto the server, recvfrom the reply). One datagram per
# input line; host and port from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:9000).
from socket import *
import sys

address = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 9000)
udpSocket = socket(AF_INET, SOCK_DGRAM)
while True:
    try:
        inp = input('>>>')
    except EOFError:
        break
    udpSocket.sendto(inp.encode('utf-8'), address)
    data, addr = udpSocket.recvfrom(65535)
    print(data.decode('utf-8'))
udpSocket.close()
