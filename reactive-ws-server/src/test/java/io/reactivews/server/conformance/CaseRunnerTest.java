package io.reactivews.server.conformance;

import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.CaseRunnerSelfTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runner must fail a case whose expectation the server does not meet. */
class CaseRunnerTest extends CaseRunnerSelfTest {

  @RegisterExtension
  static final EchoServer server = new EchoServer();

  @Override
  protected CaseRunner runner() {
    return server.runner();
  }
}
