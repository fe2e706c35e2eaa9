# Seed 000 (000_f54574ad7420c1b1.txt), program 2: the remote command client (length as text).
# Changes from the document: host and port come from argv (python3 client.py [HOST [PORT]]).
# Otherwise as in the document, including its flaw: it assumes the first recv(1024) holds the
# length alone (it crashes when length and output arrive stuck together) and decodes as GBK.
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
    result_len = int(str(sk.recv(1024),"utf8"))
    print(result_len)
    date = bytes()
    while len(date) != result_len:
        da = sk.recv(1024)
        date+=da
    print(str(date,"gbk"))
sk.close()
