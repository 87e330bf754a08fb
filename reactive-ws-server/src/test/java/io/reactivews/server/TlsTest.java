package io.reactivews.server;

import static io.reactivews.server.EventLog.closed;
import static io.reactivews.server.EventLog.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContextBuilder;
import io.reactivews.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// (RFC 6455 section 4.1, "secure" flag): the server on a self-signed certificate made by
 * the JDK's keytool for this run, the JDK client trusting exactly that certificate.
 */
class TlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path dir;

  private static BoundServer server;
  private static EventLog events;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    KeyStore keys = selfSigned(dir.resolve("server.p12"));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .secure(SslContextBuilder.forServer(kmf).build())
        .bindNow();
    events = new EventLog(server);

    // Trust the one certificate, nothing else.
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", keys.getCertificate("server"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(tls).build();
  }

  @AfterAll
  static void stop() {
    events.close();
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void echoWorksOverWss() throws Exception {
    int mark = events.mark();
    RecordingListener client =
        RecordingListener.open(https, "wss://127.0.0.1:" + server.port() + "/echo");
    client.socket.sendText("secret héllo", true).get(5, TimeUnit.SECONDS);
    assertEquals("secret héllo", client.nextText());
    client.socket.sendBinary(ByteBuffer.wrap(new byte[100_000]), true).get(5, TimeUnit.SECONDS);
    assertEquals(100_000, client.messages.poll(5, TimeUnit.SECONDS));
    client.socket.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
    assertEquals(1000, client.awaitClose());
    events.awaitAfter(mark, connected());
    events.awaitAfter(mark, closed(1000));
  }

  @Test
  void plainTextOnTheTlsPortIsDroppedReportedAndTlsClientsCarryOn() throws Exception {
    int mark = events.mark();
    try (RawClient plain = RawClient.connect(server.port())) {
      plain.write(RawHttp.upgradeRequest("/echo"));
      String end = plain.awaitEnd(5000);
      assertTrue(end.equals("eof") || end.equals("reset"), end);
      int port = plain.socket().getLocalPort();
      ServerEvent.TlsFailed failed = (ServerEvent.TlsFailed) events.awaitAfter(mark,
          e -> e instanceof ServerEvent.TlsFailed t
              && ((InetSocketAddress) t.remoteAddress()).getPort() == port);
      assertTrue(failed.cause() != null, "the event says why");
    }
    RecordingListener client =
        RecordingListener.open(https, "wss://127.0.0.1:" + server.port() + "/echo");
    client.socket.sendText("after", true).get(5, TimeUnit.SECONDS);
    assertEquals("after", client.nextText());
    client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    assertEquals(1000, client.awaitClose());
  }

  /** A key pair and self-signed certificate for 127.0.0.1, valid for a day. */
  private static KeyStore selfSigned(Path file) throws IOException, InterruptedException,
      java.security.GeneralSecurityException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair",
        "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "1",
        "-storetype", "PKCS12", "-keystore", file.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0,
        "keytool failed: " + output);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }
}
