package io.reactivews.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Self-signed certificates for TLS tests, made offline with the JDK's own {@code keytool}: an EC
 * key and a certificate whose subject alternative name is what the test needs.
 */
public final class TestCertificates {

  private static final char[] PASSWORD = "changeit".toCharArray();

  private final KeyStore keyStore;

  private TestCertificates(KeyStore keyStore) {
    this.keyStore = keyStore;
  }

  /** A key and certificate for {@code subjectAltName}, such as {@code ip:127.0.0.1}. */
  public static TestCertificates generate(String subjectAltName) throws Exception {
    Path dir = Files.createTempDirectory("reactive-ws-tls");
    Path file = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=reactive-ws test", "-ext", "SAN=" + subjectAltName, "-validity", "2",
        "-keystore", file.toString(), "-storetype", "PKCS12",
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt")
        .redirectErrorStream(true)
        .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    Files.delete(file);
    Files.delete(dir);
    return new TestCertificates(store);
  }

  /** The server's side: this key and certificate. */
  public SslContext serverContext() throws Exception {
    KeyManagerFactory keys =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    return SslContextBuilder.forServer(keys).build();
  }

  /** A trust store holding just this certificate, for a client that should accept it. */
  public KeyStore trustStore() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", keyStore.getCertificate("server"));
    return trust;
  }
}
