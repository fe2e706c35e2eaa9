# Seed 000 (000_f54574ad7420c1b1.txt), program 1: the "simple QQ chat" client.
# Changes from the document: host and port come from argv (python3 client.py [HOST [PORT]]).
# Otherwise as in the document.
import socket
import sys

sk = socket.socket()
address = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1",
           int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
sk.connect(address)
while True:
    inp = input(">>>>:")
    if inp == "q":
        break
    sk.send(bytes(inp, "utf8"))
    date = sk.recv(1024)
    print(str(date,"utf8"))
sk.close()
