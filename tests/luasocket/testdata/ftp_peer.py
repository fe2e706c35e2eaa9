"""A local FTP peer for tests/luasocket, pyftpdlib (Debian:
python3-pyftpdlib) on loopback: user "alice" (password "secret") may read
and write the folder given as its argument, where it writes hello.txt and big.bin (1 MiB, byte i is
i % 251); anonymous and "ftp" (LuaSocket's default user) may only read it. It prints its port, then one JSON
line per event: each command received (PASS hidden), each login failed,
each file received with its size, SHA-256 and (when small) bytes."""
import hashlib
import json
import logging
import os
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def emit(**kv):
    print(json.dumps(kv, sort_keys=True), flush=True)


class Handler(FTPHandler):
    def pre_process_command(self, line, cmd, arg):
        emit(event="command", cmd=cmd, arg="***" if cmd == "PASS" else arg)
        return super().pre_process_command(line, cmd, arg)

    def on_login_failed(self, username, password):
        emit(event="login failed", user=username)

    def on_file_received(self, file):
        with open(file, "rb") as f:
            data = f.read()
        small = data.decode("latin-1") if len(data) <= 4096 else None
        emit(event="received", name=os.path.basename(file), size=len(data), data=small,
             sha256=hashlib.sha256(data).hexdigest())


logging.basicConfig(level=logging.CRITICAL)
home = sys.argv[1]  # a folder the test made and removes
with open(os.path.join(home, "hello.txt"), "wb") as f:
    f.write(b"hello from pyftpdlib\r\nsecond line\r\n")
with open(os.path.join(home, "big.bin"), "wb") as f:
    f.write(bytes(i % 251 for i in range(1 << 20)))
auth = DummyAuthorizer()
auth.add_user("alice", "secret", home, perm="elradfmw")
auth.add_anonymous(home, perm="elr")
auth.add_user("ftp", "anonymous@anonymous.org", home, perm="elr")  # LuaSocket's ftp.USER, ftp.PASSWORD
Handler.authorizer = auth
Handler.banner = "pyftpdlib ready"
Handler.auth_failed_timeout = 0.1  # pyftpdlib waits 3 s after a failed login
srv = FTPServer(("127.0.0.1", 0), Handler)
print(srv.socket.getsockname()[1], flush=True)
srv.serve_forever(handle_exit=False)
