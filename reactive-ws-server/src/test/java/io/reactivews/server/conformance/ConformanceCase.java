package io.reactivews.server.conformance;

/**
 * One case of the suite: its id (such as {@code "5.19"}), what it does, the client's script and
 * the expected outcome. Its string form is the test's display name.
 */
record ConformanceCase(String id, String description, Script script, Outcome outcome) {

  static ConformanceCase of(String id, String description, Script script, Outcome outcome) {
    return new ConformanceCase(id, description, script, outcome);
  }

  @Override
  public String toString() {
    return id + " " + description;
  }
}
