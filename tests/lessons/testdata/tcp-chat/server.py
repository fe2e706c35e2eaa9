# Seed 000 (000_f54574ad7420c1b1.txt), program 1: the "simple QQ chat" server.
# Changes from the document: curly quotes ‘...‘ made ASCII; host and port come from argv
# (python3 server.py [HOST [PORT]], port 0 = any free port) and the server prints the nsh
# harness's ready line "listening on HOST:PORT" after listen. Otherwise as in the document.
import socket
import sys

sk = socket.socket()
address = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
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
        inp = input(">>>>:")
        conn.send(bytes(inp,"utf8"))
    conn.close()
