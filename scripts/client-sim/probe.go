// A Go net/http client for the client-simulation harness: GET <url> trusting <ca.pem>, print one
// JSON line with what was negotiated (version, cipher, ALPN, protocol) or the error.
// Build offline: GO111MODULE=off go build -o <out> probe.go
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"time"
)

var versions = map[uint16]string{tls.VersionTLS13: "TLSv1.3", tls.VersionTLS12: "TLSv1.2", tls.VersionTLS11: "TLSv1.1", tls.VersionTLS10: "TLSv1"}

func main() {
	out := map[string]interface{}{"client": "go"}
	pem, _ := os.ReadFile(os.Args[2])
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.ForceAttemptHTTP2 = true
	c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	r, err := c.Get(os.Args[1])
	if err != nil {
		out["error"] = err.Error()
	} else {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		out["proto"] = r.Proto
		if r.TLS != nil {
			out["version"] = versions[r.TLS.Version]
			out["cipher"] = tls.CipherSuiteName(r.TLS.CipherSuite)
			out["alpn"] = r.TLS.NegotiatedProtocol
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
