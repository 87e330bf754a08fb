package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite category 5 against the echo server ({@link
 * io.reactivews.testing.conformance.FragmentationCases}): fragmented messages, control frames
 * between and inside them, continuations with nothing to continue. RFC 6455 section 5.4.
 */
class FragmentationConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.FragmentationCases#cases")
  void fragmentation(ConformanceCase c) throws Exception {
    server.run(c);
  }
}
