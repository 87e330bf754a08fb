package io.reactivews.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client checks the servers it reaches over {@code wss://}: which certificates it trusts
 * and whether the certificate must name the host (RFC 6125, the "HTTPS" endpoint
 * identification of the JDK). The context is built once, on first use, and shared by every
 * connection of the specs that hold these settings. Immutable and thread-safe.
 */
final class TlsSettings {

  private static final String HOST_NAME_CHECK = "HTTPS";

  private final TrustManagerFactory trust;
  private final boolean trustAll;
  private final SslContext given;
  private volatile SslContext built;

  private TlsSettings(TrustManagerFactory trust, boolean trustAll, SslContext given) {
    this.trust = trust;
    this.trustAll = trustAll;
    this.given = given;
  }

  /** The JDK's trusted authorities, host names checked. */
  static TlsSettings verifying() {
    return new TlsSettings(null, false, null);
  }

  /** These trust managers instead of the JDK's, host names checked. */
  static TlsSettings trusting(TrustManagerFactory trust) {
    return new TlsSettings(Objects.requireNonNull(trust, "trust"), false, null);
  }

  /** A context the application built; used as it is. */
  static TlsSettings using(SslContext context) {
    Objects.requireNonNull(context, "context");
    if (!context.isClient()) {
      throw new IllegalArgumentException(
          "a client needs a client SslContext (SslContextBuilder.forClient())");
    }
    return new TlsSettings(null, false, context);
  }

  /** Any certificate, any name: for development against self-signed servers only. */
  static TlsSettings trustingAll() {
    return new TlsSettings(null, true, null);
  }

  boolean isInsecure() {
    return trustAll;
  }

  SslContext context() throws SSLException {
    if (given != null) {
      return given;
    }
    SslContext context = built;
    if (context == null) {
      synchronized (this) {
        context = built;
        if (context == null) {
          context = build();
          built = context;
        }
      }
    }
    return context;
  }

  private SslContext build() throws SSLException {
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (trustAll) {
      return builder.trustManager(InsecureTrustManagerFactory.INSTANCE)
          .endpointIdentificationAlgorithm(null)
          .build();
    }
    if (trust != null) {
      builder.trustManager(trust);
    }
    // Set here, not left to a default that a system property can turn off for the whole JVM.
    return builder.endpointIdentificationAlgorithm(HOST_NAME_CHECK).build();
  }

  @Override
  public String toString() {
    if (given != null) {
      return "TLS(application context)";
    }
    if (trustAll) {
      return "TLS(INSECURE: trusts every certificate)";
    }
    return trust == null ? "TLS(JDK trust, host names checked)"
        : "TLS(custom trust, host names checked)";
  }
}
