# Seed 002 (002_3da697648a31ddfe.txt), Q11: the UDP upper-case client.
# Changes from the document: host and port come from argv (python3 client.py [HOST [PORT]],
# default 127.0.0.1:8808); the input loop ends at the end of input (EOFError) instead of dying
# with a traceback. Otherwise as in the document.
# _*_ coding: utf-8 _*_
import socket
import sys
ip_port = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8808)
udp_server_client = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
while True:
    try:
        cmd = input(">>>>").strip()
    except EOFError:
        break
    if not cmd:
        continue
    udp_server_client.sendto(cmd.encode('utf-8'),ip_port)
    back_cmd,addr = udp_server_client.recvfrom(1024)
    print(back_cmd.decode('utf-8'))
