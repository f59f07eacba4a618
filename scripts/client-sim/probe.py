"""Python (/usr/bin/python3) ssl + urllib for the client-simulation harness: GET <url> trusting
<ca.pem>, print one JSON line with the negotiated version, cipher and ALPN, or the error."""
import json, ssl, sys, urllib.request

out = {"client": "python"}
try:
    ctx = ssl.create_default_context(cafile=sys.argv[2])
    r = urllib.request.urlopen(sys.argv[1], context=ctx, timeout=5)
    sock = r.fp.raw._sock
    out.update(proto="HTTP/1.1", version=sock.version(), cipher=sock.cipher()[0], alpn=sock.selected_alpn_protocol())
    r.read()
except Exception as e:  # the error is the result
    out["error"] = repr(e)
print(json.dumps(out))
