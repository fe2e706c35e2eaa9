# Seed 002 (002_3da697648a31ddfe.txt), Q11: the UDP upper-case server.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 server.py [HOST [PORT]], default 127.0.0.1:8808, port 0 = any free
# port) and the server prints the nsh harness's ready line "listening on HOST:PORT" after bind.
# Otherwise as in the document.
# _*_ coding: utf-8 _*_
import socket
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8808)
udp_server_client = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
udp_server_client.bind(ip_port)
print("listening on %s:%d" % udp_server_client.getsockname()[:2], flush=True)
while True:
    conn,addr = udp_server_client.recvfrom(1024)
    print(conn,addr)
    udp_server_client.sendto(conn.upper(),addr)
