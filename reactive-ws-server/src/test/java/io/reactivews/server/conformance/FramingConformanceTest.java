package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite categories 1 to 4 against the echo server ({@link
 * io.reactivews.testing.conformance.FramingCases}): framing at every length-encoding boundary,
 * pings and pongs, reserved bits and reserved opcodes. RFC 6455 sections 5.2, 5.5.2, 5.5.3.
 */
class FramingConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.FramingCases#framing")
  void framing(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.FramingCases#pingsAndPongs")
  void pingsAndPongs(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.FramingCases#reservedBits")
  void reservedBits(ConformanceCase c) throws Exception {
    server.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.FramingCases#reservedOpcodes")
  void reservedOpcodes(ConformanceCase c) throws Exception {
    server.run(c);
  }
}
