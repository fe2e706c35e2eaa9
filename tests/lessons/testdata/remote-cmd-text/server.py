# Seed 000 (000_f54574ad7420c1b1.txt), program 2: the remote command server (length as text).
# Changes from the document: curly quotes made ASCII; host and port come from argv
# (python3 server.py [HOST [PORT]], default 0.0.0.0:8000 as in the document, port 0 = any free
# port) and the server prints the nsh harness's ready line "listening on HOST:PORT" after listen.
# WARNING: like the original it runs whatever it receives as a shell command. Tests bind it to
# 127.0.0.1 only.
import socket,subprocess
import sys

sk = socket.socket()
address = (sys.argv[1] if len(sys.argv) > 1 else '0.0.0.0',
           int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
sk.bind(address)
sk.listen(2)
print("listening on %s:%d" % sk.getsockname()[:2], flush=True)
print("......")
while True:
    conn, addr = sk.accept()
    print(addr)
    while True:
        try:
            date = conn.recv(1024)
        except Exception:
            break
        if not date:break
        print(str(date, "utf8"))
        obj = subprocess.Popen(str(date, "utf8"),shell=True,stdout=subprocess.PIPE)
        cmd_result = obj.stdout.read()
        result_len = str(len(cmd_result))
        print(result_len)
        conn.send(bytes(result_len,"utf8"))
        conn.send(cmd_result)
    conn.close()
