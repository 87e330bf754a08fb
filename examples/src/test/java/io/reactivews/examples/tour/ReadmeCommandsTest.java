package io.reactivews.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CI runs exactly the test command README gives, so what README promises is what CI proves. */
class ReadmeCommandsTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void ciRunsReadmesTestCommandAndNothingElse() throws Exception {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    int start = readme.indexOf("## Two commands");
    assertTrue(start >= 0, "README has no 'Two commands' section");
    List<String> twoCommands = readme.subList(start, readme.size());
    int fence = twoCommands.indexOf("```sh");
    List<String> block = twoCommands.subList(fence + 1, twoCommands.indexOf("```"));
    List<String> commands = block.stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    assertEquals(2, commands.size(), "README's two commands: " + commands);

    List<String> run = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
        .filter(line -> line.startsWith("mvn ")).toList();
    assertEquals(List.of(commands.get(1)), run, ".ci/run must run README's test command");
  }
}
