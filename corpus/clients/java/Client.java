// Real-client recorder: Java 17 HttpClient, HttpsURLConnection and OkHttp (Debian
// openjdk-17 + libokhttp-java), compiled by corpus/record.sh. Prints what an uncaught
// exception prints (printStackTrace: the exception, then every "Caused by:").
//
//   java -cp <build>:okhttp.jar:okio.jar Client <stack> <mode> <url> [proxy]
//   stack: httpclient | httpclient-h1 | urlconnection | okhttp
//   mode:  default | tls1.3 | tls1.2
// The lab CA comes in through -Djavax.net.ssl.trustStore (a PKCS12 made by record.sh);
// TLS version pins through -Djdk.tls.client.protocols.
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

public class Client {
  public static void main(String[] args) throws Exception {
    String stack = args[0], target = args[2];
    URI proxy = args.length > 3 ? URI.create(args[3]) : null;
    switch (stack) {
      case "httpclient":
      case "httpclient-h1": {
        HttpClient.Builder b = HttpClient.newBuilder()
            .version(stack.equals("httpclient") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(8));
        if (proxy != null) b.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())));
        HttpRequest req = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(8)).build();
        HttpResponse<String> res = b.build().send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 400) {
          System.out.println("HTTP " + res.statusCode());
          System.exit(1);
        }
        break;
      }
      case "urlconnection": {
        if (proxy != null) {
          System.setProperty("https.proxyHost", proxy.getHost());
          System.setProperty("https.proxyPort", String.valueOf(proxy.getPort()));
        }
        HttpURLConnection c = (HttpURLConnection) new URL(target).openConnection();
        c.setConnectTimeout(8000);
        c.setReadTimeout(8000);
        try (InputStream in = c.getInputStream()) {
          in.readAllBytes();
        }
        break;
      }
      case "okhttp": {
        okhttp3.OkHttpClient.Builder b = new okhttp3.OkHttpClient.Builder()
            .connectTimeout(8, TimeUnit.SECONDS).readTimeout(8, TimeUnit.SECONDS).callTimeout(9, TimeUnit.SECONDS);
        if (proxy != null) b.proxy(new java.net.Proxy(java.net.Proxy.Type.HTTP, new InetSocketAddress(proxy.getHost(), proxy.getPort())));
        try (okhttp3.Response r = b.build().newCall(new okhttp3.Request.Builder().url(target).build()).execute()) {
          if (r.code() >= 400) {
            System.out.println(r.protocol() + " " + r.code() + " " + r.message());
            System.exit(1);
          }
        }
        break;
      }
      default:
        throw new IllegalArgumentException("unknown stack " + stack);
    }
  }
}
