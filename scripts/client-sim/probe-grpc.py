"""grpcio (/usr/bin/python3, gRPC C-core) for the client-simulation harness: one unary call to <url>
(TLS trusting <ca.pem> for https://, an insecure channel, h2c by prior knowledge, for http://), on the
method /h2doctor-client=grpc-python/Ping so that the server's access log can name its request.
Prints one JSON line: proto HTTP/2.0 when the call got an HTTP/2 answer (a web server that is not a
gRPC service ends it without grpc-status), or the error when no connection was made (UNAVAILABLE)."""
import json, sys
import grpc

url, ca = sys.argv[1], sys.argv[2]
scheme, rest = url.split("://", 1)
host = rest.split("/", 1)[0]
out = {"client": "grpc-python"}
try:
    if scheme == "https":
        ch = grpc.secure_channel(host, grpc.ssl_channel_credentials(open(ca, "rb").read()))
    else:
        ch = grpc.insecure_channel(host)
    call = ch.unary_unary("/h2doctor-client=grpc-python/Ping", request_serializer=lambda x: x, response_deserializer=lambda x: x)
    try:
        call(b"", timeout=5)
        out.update(proto="HTTP/2.0", code="OK")
    except grpc.RpcError as e:
        out["code"] = e.code().name
        if e.code() == grpc.StatusCode.UNAVAILABLE or e.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
            out["error"] = f"{e.code().name}: {e.details()}"
        else:
            out.update(proto="HTTP/2.0", rpc=e.details())
    ch.close()
except Exception as e:  # the error is the result
    out["error"] = repr(e)
print(json.dumps(out))
