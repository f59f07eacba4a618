// A Java 17 java.net.http.HttpClient for the client-simulation harness: GET <url> trusting
// <ca.pem>, print one JSON line with the negotiated version, cipher and protocol, or the error.
// Run: java Probe.java <url> <ca.pem>
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class Probe {
  static String q(String s) { return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
  public static void main(String[] a) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (FileInputStream in = new FileInputStream(a[1])) {
      ks.setCertificateEntry("lab", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient c = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(a[0])).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      String proto = r.version() == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
      String v = r.sslSession().map(s -> s.getProtocol()).orElse(null);
      String cs = r.sslSession().map(s -> s.getCipherSuite()).orElse(null);
      System.out.println("{\"client\":\"java\",\"proto\":" + q(proto) + ",\"version\":" + q(v) + ",\"cipher\":" + q(cs) + "}");
    } catch (Exception e) {
      System.out.println("{\"client\":\"java\",\"error\":" + q(e.toString()) + "}");
    }
  }
}
