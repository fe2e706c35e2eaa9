# Seed 002 (002_3da697648a31ddfe.txt), Q11: "UDP does not stick packets" — the client.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:8989). Otherwise as in
# the document.
# _*_ coding: utf-8 _*_
import socket
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8989)
client = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
client.sendto('hello'.encode('utf-8'),ip_port)
client.sendto('james'.encode('utf-8'),ip_port)
client.close()
