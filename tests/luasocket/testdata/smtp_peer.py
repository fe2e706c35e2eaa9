"""A local SMTP peer for tests/luasocket, Python's aiosmtpd (Debian:
python3-aiosmtpd): two servers on loopback, the first offering AUTH LOGIN
and PLAIN, the second PLAIN only; it prints their ports on one line, then
one JSON line per event it saw: an AUTH (mechanism, user, accepted) and
each message (EHLO name, MAIL FROM, RCPT TOs, the bytes of DATA).
Password "secret" is accepted for any user; RCPT to an address at
"bad.example" is refused with 550."""
import asyncio
import json
import warnings
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

warnings.simplefilter("ignore", DeprecationWarning)  # aiosmtpd 1.4 warns of its own Session.login_data


def emit(**kv):
    print(json.dumps(kv, sort_keys=True), flush=True)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"secret"
    user = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?"
    emit(event="auth", mechanism=mechanism, user=user, accepted=ok)
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@bad.example"):
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        emit(event="message", ehlo=session.host_name, mail_from=envelope.mail_from,
             rcpt=envelope.rcpt_tos, data=envelope.original_content.decode("latin-1"))
        return "250 OK queued"


async def main():
    loop = asyncio.get_running_loop()
    ports = []
    for exclude in ([], ["LOGIN"]):
        srv = await loop.create_server(
            lambda exclude=exclude: SMTP(Handler(), hostname="peer.example", authenticator=authenticator,
                                         auth_require_tls=False, auth_exclude_mechanism=exclude),
            "127.0.0.1", 0)
        ports.append(str(srv.sockets[0].getsockname()[1]))
    print(" ".join(ports), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
