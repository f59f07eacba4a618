// grpc-go (Debian golang-google-grpc-dev) for the client-simulation harness: one unary call to
// <url> (TLS trusting <ca.pem> for https://, h2c by prior knowledge for http://) on the method
// /h2doctor-client=grpc-go/Ping, printing one JSON line: what the TLS handshake negotiated
// (version, cipher, ALPN) and proto HTTP/2.0 when the call got an HTTP/2 answer (a web server that
// is not a gRPC service answers without grpc-status), or the error when no connection was ready.
// Build offline: GOPATH=/usr/share/gocode GO111MODULE=off go build -o <out> ./scripts/client-sim/grpc-go
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

var versions = map[uint16]string{tls.VersionTLS13: "TLSv1.3", tls.VersionTLS12: "TLSv1.2", tls.VersionTLS11: "TLSv1.1", tls.VersionTLS10: "TLSv1"}

// raw sends an empty message and ignores the answer: the call only has to reach the server.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error)   { return []byte{}, nil }
func (raw) Unmarshal(b []byte, v interface{}) error { return nil }
func (raw) Name() string                            { return "proto" }

// spy keeps the TLS state of the handshake grpc-go makes.
type spy struct {
	credentials.TransportCredentials
	st *tls.ConnectionState
}

func (s *spy) ClientHandshake(ctx context.Context, a string, c net.Conn) (net.Conn, credentials.AuthInfo, error) {
	conn, info, err := s.TransportCredentials.ClientHandshake(ctx, a, c)
	if ti, ok := info.(credentials.TLSInfo); ok {
		*s.st = ti.State
	}
	return conn, info, err
}

func main() {
	out := map[string]interface{}{"client": "grpc-go"}
	defer func() { json.NewEncoder(os.Stdout).Encode(out) }()
	u, err := url.Parse(os.Args[1])
	if err != nil {
		out["error"] = err.Error()
		return
	}
	var state tls.ConnectionState
	opt := grpc.WithInsecure()
	if u.Scheme == "https" {
		creds, err := credentials.NewClientTLSFromFile(os.Args[2], u.Hostname())
		if err != nil {
			out["error"] = err.Error()
			return
		}
		opt = grpc.WithTransportCredentials(&spy{creds, &state})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(ctx, u.Host, opt, grpc.WithBlock(), grpc.FailOnNonTempDialError(true))
	if err != nil {
		out["error"] = err.Error()
		return
	}
	defer conn.Close()
	var reply struct{}
	out["proto"] = "HTTP/2.0"
	if err := conn.Invoke(ctx, "/h2doctor-client=grpc-go/Ping", &struct{}{}, &reply, grpc.ForceCodec(raw{})); err != nil {
		out["rpc"] = err.Error()
	}
	if state.Version != 0 {
		out["version"] = versions[state.Version]
		out["cipher"] = tls.CipherSuiteName(state.CipherSuite)
		out["alpn"] = state.NegotiatedProtocol
	}
}
