package io.reactivews.client.conformance;

import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.CaseRunnerSelfTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Playing the server, the runner must fail a case whose expectation the client does not meet. */
class ClientCaseRunnerTest extends CaseRunnerSelfTest {

  @RegisterExtension
  static final EchoClient client = new EchoClient();

  @Override
  protected CaseRunner runner() {
    return client.runner();
  }
}
