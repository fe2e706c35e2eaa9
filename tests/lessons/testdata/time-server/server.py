# Seed 002 (002_3da697648a31ddfe.txt), Q12/Q13: the UDP time server.
# Changes from the document: statements the page ran together split onto their own lines; host and
# port come from argv (python3 server.py [HOST [PORT]], default 127.0.0.1:8080, port 0 = any free
# port) and the server prints the nsh harness's ready line "listening on HOST:PORT" after bind.
# Bug fixed: `time` is answered with the time only. The document also ran `time` as a shell
# command first and sent that output as a datagram of its own, so the client, which reads one
# datagram per request, printed the shell's output and found the time only on its next request.
# WARNING: like the original it runs any other text it receives as a shell command. Tests bind it
# to 127.0.0.1 only.
# _*_ coding: utf-8 _*_
import socket
import subprocess
import time
import sys
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind((sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
             int(sys.argv[2]) if len(sys.argv) > 2 else 8080))
print("listening on %s:%d" % server.getsockname()[:2], flush=True)
while True:
    data, client_addr = server.recvfrom(1024)
    print(data, client_addr)
    if data.decode('utf-8') == 'time':
        str_time = time.strftime('%Y-%m-%d %H:%M:%S', time.localtime())
        # str_time = '2017-01-01 00:00:00'
        server.sendto(str_time.encode('gbk'), client_addr)
        continue
    obj = subprocess.Popen(data.decode('utf-8'),shell=True, # time 命令在windows 下不能用
                           stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    stdout = obj.stdout.read()
    stderr = obj.stderr.read()
    print(stdout+stderr)
    server.sendto(stdout+stderr,client_addr)
server.close()
