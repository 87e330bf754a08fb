package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite case 10.1.1 against the echo server ({@link
 * io.reactivews.testing.conformance.AutoFragmentationCases}): a message in many fragments comes
 * back whole.
 */
class AutoFragmentationConformanceTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.reactivews.testing.conformance.AutoFragmentationCases#cases")
  void autoFragmentation(ConformanceCase c) throws Exception {
    server.run(c);
  }
}
