"""A local HTTPS peer for tests/luasocket: http_peer.py's handler served
over TLS (Python's ssl, the certificate and key given as arguments) and
over plain HTTP, where /to-https redirects to the HTTPS server's
/body?n=10; the HTTPS server's /to-http redirects back to plain HTTP.
Prints "HTTP_PORT HTTPS_PORT"."""
import http.server
import ssl
import sys
import threading

from http_peer import Handler


class Redirects(Handler):
    def do_GET(self):
        target = {"/to-https": "https://localhost:%d/body?n=10" % ports[1],
                  "/to-http": "http://localhost:%d/body?n=10" % ports[0]}.get(self.path)
        if target is None:
            return super().do_GET()
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()


plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirects)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirects)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
ports = [plain.server_address[1], tls.server_address[1]]
threading.Thread(target=plain.serve_forever, daemon=True).start()
print(ports[0], ports[1], flush=True)
tls.serve_forever()
