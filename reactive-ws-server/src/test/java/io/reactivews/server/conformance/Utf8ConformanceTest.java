package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite category 6 against the echo server ({@link
 * io.reactivews.testing.conformance.Utf8Cases}): valid text is echoed byte for byte, invalid
 * text fails the connection with 1007, fast. RFC 6455 section 8.1.
 */
class Utf8ConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.Utf8Cases#framingOfText")
  void framingOfText(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.Utf8Cases#failFast")
  void failFast(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.Utf8Cases#sequences")
  void sequences(ConformanceCase c) throws Exception {
    server.run(c);
  }
}
