package io.reactivews.testing.conformance;

/**
 * One case of the suite: its id (such as {@code "5.19"}), what it does, the script the raw peer
 * plays and the expected outcome. The same case holds for either end under test: {@link
 * CaseRunner} plays the script as the other end. Its string form is the test's display name.
 */
public record ConformanceCase(String id, String description, Script script, Outcome outcome) {

  public static ConformanceCase of(String id, String description, Script script,
      Outcome outcome) {
    return new ConformanceCase(id, description, script, outcome);
  }

  @Override
  public String toString() {
    return id + " " + description;
  }
}
