"""A local HTTP peer for tests/luasocket: prints its port, then serves
/body?n=N (N bytes), /redirect (302 to /body?n=10), /chunked (a chunked
body), POST /echo (the body back) and /headers (the request's headers)."""
import http.server
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, body, ctype="application/octet-stream", code=200):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/body":
            n = int(q.get("n", ["0"])[0])
            self.send_body((b"0123456789abcdef" * (n // 16 + 1))[:n])
        elif url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/body?n=10")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif url.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"chunked ", b"world"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/headers":
            names = sorted(k.lower() for k in self.headers.keys())
            self.send_body(" ".join(names).encode(), "text/plain")
        else:
            self.send_body(b"not found", "text/plain", 404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        self.send_body(body, "text/plain")


if __name__ == "__main__":
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()
