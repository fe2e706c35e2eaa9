"""A discard peer for the ltn12 pump benchmark: prints its port, then reads
each connection to its end and drops the bytes."""
import socket
import threading

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
print(srv.getsockname()[1], flush=True)


def drain(c):
    with c:
        while c.recv(1 << 20):
            pass


while True:
    conn, _ = srv.accept()
    threading.Thread(target=drain, args=(conn,), daemon=True).start()
