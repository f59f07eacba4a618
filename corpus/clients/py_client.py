"""Real-client recorder: Python (Debian /usr/bin/python3 and its python3-* libraries).

Lets the exception escape, so the interpreter prints its traceback (record.mjs keeps the
exception lines of the chain, not the frames), or prints the status when the server answers
>= 400 and the library does not raise.

  /usr/bin/python3 py_client.py <stack> <mode> <url> [proxy]
  stack: urllib | requests | httpx | aiohttp | websockets | grpcio
  mode:  default | tls1.3 | tls1.2 | ws-protocol | ws-read
The lab CA comes in through H2DOCTOR_LAB_CA.
"""
import os
import ssl
import sys

stack, mode, target = sys.argv[1], sys.argv[2], sys.argv[3]
proxy = sys.argv[4] if len(sys.argv) > 4 else None
ca = os.environ.get("H2DOCTOR_LAB_CA")


def context():
    ctx = ssl.create_default_context(cafile=ca)
    if mode == "tls1.3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    elif mode == "tls1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


if stack == "urllib":
    import urllib.request

    handlers = [urllib.request.HTTPSHandler(context=context())]
    if proxy:
        handlers.append(urllib.request.ProxyHandler({"https": proxy, "http": proxy}))
    urllib.request.build_opener(*handlers).open(target, timeout=4).read()
elif stack == "requests":
    import requests

    if mode in ("tls1.3", "tls1.2"):
        from requests.adapters import HTTPAdapter

        class Pinned(HTTPAdapter):
            def init_poolmanager(self, *a, **kw):
                kw["ssl_context"] = context()
                return super().init_poolmanager(*a, **kw)

        s = requests.Session()
        s.mount("https://", Pinned())
    else:
        s = requests.Session()
    r = s.get(target, verify=ca, timeout=4, proxies={"https": proxy, "http": proxy} if proxy else None)
    r.raise_for_status()
elif stack == "httpx":
    import httpx

    kw = {"verify": context(), "timeout": 4}
    if proxy:
        kw["proxies"] = proxy
    with httpx.Client(**kw) as c:
        c.get(target).raise_for_status()
elif stack == "aiohttp":
    import asyncio
    import aiohttp

    async def main():
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=4)) as s:
            async with s.get(target, ssl=context(), proxy=proxy) as r:
                r.raise_for_status()
                await r.read()

    asyncio.run(main())
elif stack == "websockets":
    import asyncio
    import websockets

    async def main():
        kw = {"open_timeout": 4}
        if target.startswith("wss:"):
            kw["ssl"] = context()
        if mode == "ws-protocol":
            kw["subprotocols"] = ["chat.v2"]
        async with websockets.connect(target, **kw) as ws:
            if mode == "ws-read":
                # The first message after the 101: where a misbehaving server shows it.
                await asyncio.wait_for(ws.recv(), 4)

    asyncio.run(main())
elif stack == "grpcio":
    import grpc
    from urllib.parse import urlsplit

    u = urlsplit(target)
    addr = f"{u.hostname}:{u.port or (443 if u.scheme == 'https' else 80)}"
    if u.scheme == "https":
        with open(ca, "rb") as f:
            creds = grpc.ssl_channel_credentials(root_certificates=f.read())
        ch = grpc.secure_channel(addr, creds)
    else:
        ch = grpc.insecure_channel(addr)
    call = ch.unary_unary("/h2doctor.Lab/Ping", request_serializer=lambda b: b, response_deserializer=lambda b: b)
    call(b"", timeout=4)
else:
    raise SystemExit(f"unknown stack {stack}")
