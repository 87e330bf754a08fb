package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite category 7 against the echo server ({@link
 * io.reactivews.testing.conformance.CloseCases}): the close handshake, close bodies and codes.
 * RFC 6455 sections 5.5.1, 7.1 and 7.4.
 */
class CloseConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.CloseCases#afterClose")
  void afterClose(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.CloseCases#closeBodies")
  void closeBodies(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.CloseCases#closeCodes")
  void closeCodes(ConformanceCase c) throws Exception {
    server.run(c);
  }
}
