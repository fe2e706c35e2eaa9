# Seed 002 (002_3da697648a31ddfe.txt), Q12/Q13: the UDP time client.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:8080); the input loop
# ends at the end of input (EOFError).
# Removed: the document then ran Windows' `date`/`time` commands through os.system to set the
# local clock (to the local time, not the server's: a bug). Tests must never set the clock; the
# nsh client prints the offset instead and sets the clock only when asked (--set-clock).
# _*_ coding: utf-8 _*_
import socket
import os
import time
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8080)
client = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
while True:
    try:
        msg = input('>>>:').strip()
    except EOFError:
        break
    client.sendto(msg.encode('utf-8'),ip_port)
    data,server_addr = client.recvfrom(1024)
    print(data.decode('utf-8'),server_addr)
client.close()
