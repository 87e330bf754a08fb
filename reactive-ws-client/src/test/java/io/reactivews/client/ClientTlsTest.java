package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.message.Message;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * {@code wss://}: certificates are checked against the trusted authorities and must name the
 * host connected to (RFC 6125), unless the application explicitly asks for insecurity.
 */
class ClientTlsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A certificate for the address the tests connect to. */
  private static TestCertificates forLoopback;
  /** A certificate for another name. */
  private static TestCertificates forOtherHost;
  private static BoundServer loopbackServer;
  private static BoundServer otherHostServer;

  @BeforeAll
  static void start() throws Exception {
    forLoopback = TestCertificates.generate("ip:127.0.0.1");
    forOtherHost = TestCertificates.generate("dns:game.example.org");
    loopbackServer = echoServer(forLoopback);
    otherHostServer = echoServer(forOtherHost);
  }

  private static BoundServer echoServer(TestCertificates certificates) throws Exception {
    return WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .secure(certificates.serverContext())
        .bindNow();
  }

  @AfterAll
  static void stop() {
    loopbackServer.shutdown(Duration.ofSeconds(5)).block();
    otherHostServer.shutdown(Duration.ofSeconds(5)).block();
  }

  private static String uri(BoundServer server) {
    return "wss://127.0.0.1:" + server.port() + "/echo";
  }

  private static String echo(WebSocketClient client, BoundServer server) {
    return client.connect(uri(server))
        .flatMap(session -> session.send(Mono.just(Message.text("over tls")))
            .then(session.receive().next())
            .flatMap(m -> session.close().thenReturn(m.text())))
        .block(WAIT);
  }

  @Test
  void aSelfSignedServerIsRefusedByDefault() {
    Exception e = assertThrows(Exception.class,
        () -> echo(WebSocketClient.create(), loopbackServer));
    assertNotNull(sslCause(e), "expected a TLS failure, got " + e);
  }

  @Test
  void oneHandshakeTimeoutCoversTheTlsHandshakeAndTheAnswer() throws Exception {
    // A TLS server that reads the request and never answers, whose TLS is 1.5 s slow.
    SslContext serverSide = forLoopback.serverContext();
    DisposableServer silent = TcpServer.create().host("127.0.0.1").port(0)
        .secure(spec -> spec.sslContext(serverSide))
        .handle((in, out) -> in.receive().then())
        .bindNow();
    try (ServerSocket relay = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread relaying = new Thread(() -> relaySlowly(relay, silent.port(), 1500), "slow-tls");
      relaying.setDaemon(true);
      relaying.start();
      WebSocketClient client = WebSocketClient.create().trustStore(forLoopback.trustStore())
          .handshakeTimeout(Duration.ofSeconds(2));
      long started = System.nanoTime();
      Throwable failure = client.connect("wss://127.0.0.1:" + relay.getLocalPort() + "/echo")
          .materialize().block(WAIT).getThrowable();
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertInstanceOf(HandshakeException.class, failure, String.valueOf(failure));
      assertTrue(failure.getMessage().contains("within 2000 ms"), failure.getMessage());
      // 2 s in all, not 2 s for TLS and 2 s more for the answer (3.5 s here).
      assertTrue(millis < 3000, "failed after " + millis + " ms");
    } finally {
      silent.disposeNow();
    }
  }

  /** Relays one connection to {@code port}, holding the server's first bytes for a while. */
  private static void relaySlowly(ServerSocket relay, int port, long holdMillis) {
    try (Socket client = relay.accept();
        Socket server = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
      Thread up = new Thread(() -> copy(client, server), "slow-tls-up");
      up.setDaemon(true);
      up.start();
      Thread.sleep(holdMillis);
      copy(server, client);
    } catch (IOException | InterruptedException e) {
      // the test has its answer by then
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side closed
    }
  }

  @Test
  void aServerIsAcceptedWhenItsCertificateIsInTheTrustStore() throws Exception {
    WebSocketClient client = WebSocketClient.create().trustStore(forLoopback.trustStore());
    assertEquals("over tls", echo(client, loopbackServer));
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    WebSocketClient client = WebSocketClient.create().trustStore(forOtherHost.trustStore());
    Exception e = assertThrows(Exception.class, () -> echo(client, otherHostServer));
    SSLException ssl = sslCause(e);
    assertNotNull(ssl, "expected a TLS failure, got " + e);
    assertTrue(String.valueOf(rootCause(ssl).getMessage()).contains("127.0.0.1"), ssl.toString());
  }

  @Test
  void anApplicationContextIsUsedAsItIsWithHostNamesStillChecked() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(forOtherHost.trustStore());
    WebSocketClient client =
        WebSocketClient.create().secure(SslContextBuilder.forClient().trustManager(trust).build());
    assertNotNull(sslCause(assertThrows(Exception.class, () -> echo(client, otherHostServer))));
  }

  @Test
  void insecureTrustAllAcceptsAnyCertificateForAnyName() {
    assertEquals("over tls", echo(WebSocketClient.create().insecureTrustAll(), otherHostServer));
  }

  @Test
  void aServerContextIsRefusedAsAClientContext() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().secure(forLoopback.serverContext()));
    assertTrue(e.getMessage().contains("client SslContext"), e.getMessage());
  }

  private static SSLException sslCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
