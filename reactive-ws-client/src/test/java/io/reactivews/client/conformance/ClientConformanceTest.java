package io.reactivews.client.conformance;

import io.reactivews.testing.conformance.ConformanceCase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The suite's fuzzing-server mode against our client, categories 1 to 7 and 10: the same case
 * tables the server runs ({@link io.reactivews.testing.conformance}), played by a scripted
 * server that sends unmasked frames, violations included. Each case expects what it expects of
 * a server: the echo, or the close code the client sends (1002, 1007...), or an allowed drop;
 * and every frame the client sends must be masked, with RSV clear, and control frames final and
 * at most 125 bytes (RFC 6455 sections 5.1 to 5.5).
 */
class ClientConformanceTest {

  private static final String CASES = "io.reactivews.testing.conformance.";

  @RegisterExtension
  static final EchoClient client = new EchoClient();

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "FramingCases#framing")
  void framing(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "FramingCases#pingsAndPongs")
  void pingsAndPongs(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "FramingCases#reservedBits")
  void reservedBits(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "FramingCases#reservedOpcodes")
  void reservedOpcodes(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "FragmentationCases#cases")
  void fragmentation(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "Utf8Cases#framingOfText")
  void framingOfText(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "Utf8Cases#failFast")
  void failFast(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "Utf8Cases#sequences")
  void utf8Sequences(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "CloseCases#afterClose")
  void afterClose(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "CloseCases#closeBodies")
  void closeBodies(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "CloseCases#closeCodes")
  void closeCodes(ConformanceCase c) throws Exception {
    client.run(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES + "AutoFragmentationCases#cases")
  void autoFragmentation(ConformanceCase c) throws Exception {
    client.run(c);
  }
}
