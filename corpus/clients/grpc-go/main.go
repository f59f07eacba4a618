// Real-client recorder: grpc-go (Debian golang-google-grpc-dev), built offline by
// corpus/record.sh. One unary call (/h2doctor.Lab/Ping, raw bytes) with a 4 s deadline; prints what
// a Go program that logs the call's error prints (the status error), or nothing when it worked.
//
//	grpc-go-client <mode> <url>
//	mode: h2 (TLS, trusting H2DOCTOR_LAB_CA) | h2c (plaintext)
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// raw passes the request and response bytes through: no generated code is needed for one call.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error)      { return *(v.(*[]byte)), nil }
func (raw) Unmarshal(data []byte, v interface{}) error { *(v.(*[]byte)) = data; return nil }
func (raw) Name() string                               { return "proto" }

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: grpc-go-client <mode> <url>")
		os.Exit(2)
	}
	mode, target := os.Args[1], os.Args[2]
	u, err := url.Parse(target)
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[u.Scheme == "https"]
	}
	opts := []grpc.DialOption{}
	if u.Scheme == "https" && mode != "h2c" {
		pool := x509.NewCertPool()
		if ca := os.Getenv("H2DOCTOR_LAB_CA"); ca != "" {
			if pem, err := os.ReadFile(ca); err == nil {
				pool.AppendCertsFromPEM(pem)
			}
		}
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool})))
	} else {
		opts = append(opts, grpc.WithInsecure())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(ctx, u.Hostname()+":"+port, opts...)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer conn.Close()
	in, out := []byte{}, []byte{}
	if err := conn.Invoke(ctx, "/h2doctor.Lab/Ping", &in, &out, grpc.ForceCodec(raw{})); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}
