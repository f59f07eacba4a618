// Real-client recorder: Go net/http and golang.org/x/net/http2 (Debian golang-go +
// golang-golang-x-net-dev), built offline by corpus/record.sh. Prints what a Go program
// that logs its error prints: the error value, or the status line when the server answers.
//
//	go-client <stack> <mode> <url> [proxy]
//	stack: nethttp | nethttp-h1 | xhttp2
//	mode:  default | tls1.3 | tls1.2 | h2c
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"golang.org/x/net/http2"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: go-client <stack> <mode> <url> [proxy]")
		os.Exit(2)
	}
	stack, mode, target := os.Args[1], os.Args[2], os.Args[3]
	pool := x509.NewCertPool()
	if ca := os.Getenv("H2DOCTOR_LAB_CA"); ca != "" {
		if pem, err := os.ReadFile(ca); err == nil {
			pool.AppendCertsFromPEM(pem)
		}
	}
	tc := &tls.Config{RootCAs: pool}
	switch mode {
	case "tls1.3":
		tc.MinVersion = tls.VersionTLS13
	case "tls1.2":
		tc.MaxVersion = tls.VersionTLS12
	}
	var rt http.RoundTripper
	switch stack {
	case "xhttp2":
		t := &http2.Transport{TLSClientConfig: tc}
		if mode == "h2c" {
			t.AllowHTTP = true
			t.DialTLS = func(network, addr string, _ *tls.Config) (net.Conn, error) {
				return net.DialTimeout(network, addr, 4*time.Second)
			}
		}
		rt = t
	default:
		t := &http.Transport{TLSClientConfig: tc, ForceAttemptHTTP2: true}
		if stack == "nethttp-h1" {
			t.ForceAttemptHTTP2 = false
			t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		if len(os.Args) > 4 {
			if p, err := url.Parse(os.Args[4]); err == nil {
				t.Proxy = http.ProxyURL(p)
			}
		}
		rt = t
	}
	client := &http.Client{Transport: rt, Timeout: 4 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		fmt.Printf("%s %s\n", resp.Proto, resp.Status)
		os.Exit(1)
	}
}
