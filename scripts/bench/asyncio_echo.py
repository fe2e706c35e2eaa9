"""Python asyncio upper-case echo server, a reference for nsh's benchmark suite.

usage: python3 asyncio_echo.py [PORT] [HOST]   (PORT 0 picks a free port)
Prints "listening on HOST:PORT" once ready. Uses asyncio.Protocol, the
fastest pure-asyncio way (no streams layer); the event loop is the default one.
"""
import asyncio
import resource
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data.upper())


async def main(host, port):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, host, port, backlog=1024, reuse_address=True)
    addr = server.sockets[0].getsockname()
    print(f"listening on {addr[0]}:{addr[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8083
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    try:
        asyncio.run(main(host, port))
    except KeyboardInterrupt:
        pass
