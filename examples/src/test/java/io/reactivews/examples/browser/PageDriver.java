package io.reactivews.examples.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page driver script from {@code examples/src/test/browser/} run with Node as a child process:
 * it drives headless Chromium (Debian's {@code /usr/bin/chromium}, through the {@code
 * playwright-core} version pinned by that folder's lockfile) and reports one JSON object per
 * line on its standard output. It is killed, with its browser, when it outlives the timeout or
 * the test is interrupted.
 *
 * <p>A missing Node, Chromium or playwright-core is a failure, never a skip: CI installs them with
 * {@code .ci/install}, and a browser test that passes without a browser proves nothing.
 */
final class PageDriver {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Exit code of a driver that found Chromium or playwright-core missing. */
  private static final int NOT_INSTALLED = 3;

  private static final String INSTALL_HINT =
      "run .ci/install (it installs Chromium and the browser driver's packages)";

  private static final JsonMapper JSON = new JsonMapper();

  private final String script;

  private PageDriver(String script) {
    this.script = script;
  }

  /** The driver {@code script} (for example {@code chat.mjs}) of the driver folder. */
  static PageDriver of(String script) {
    return new PageDriver(script);
  }

  /** Runs the driver with {@code args}; fails unless it exits 0 within the timeout. */
  List<JsonNode> run(String... args) throws IOException, InterruptedException {
    Path dir = driverDir();
    assertInstalled(dir);
    File out = File.createTempFile("page-driver-", ".out");
    File err = File.createTempFile("page-driver-", ".err");
    List<String> argv = new ArrayList<>(List.of("node", script));
    argv.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(argv).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out).redirectError(err).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start node (" + e.getMessage() + "): " + INSTALL_HINT, e);
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", argv) + " did not finish within " + TIMEOUT
            + "\n" + outputs(out, err));
      }
      int exit = process.exitValue();
      if (exit == NOT_INSTALLED) {
        throw new AssertionError("the browser is not installed: " + INSTALL_HINT + "\n"
            + outputs(out, err));
      }
      if (exit != 0) {
        throw new AssertionError(String.join(" ", argv) + " exited with " + exit + "\n"
            + outputs(out, err));
      }
      List<JsonNode> records = new ArrayList<>();
      for (String line : Files.readAllLines(out.toPath(), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          records.add(JSON.readTree(line));
        }
      }
      return records;
    } finally {
      // Normally a no-op; after a timeout, a failure or an interrupt it kills Node and Chromium.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  /** Writes {@code value} as one JSON argument for a driver. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The driver folder, found from the module's working directory upwards. */
  static Path driverDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : List.of(dir.resolve("src/test/browser"),
          dir.resolve("examples/src/test/browser"))) {
        if (Files.isRegularFile(candidate.resolve("package-lock.json"))) {
          return candidate;
        }
      }
    }
    throw new AssertionError("examples/src/test/browser not found above "
        + Path.of("").toAbsolutePath());
  }

  // Checked here too so the message names what is missing before Node even starts.
  private static void assertInstalled(Path dir) {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(CHROMIUM + " is missing: " + INSTALL_HINT);
    }
    if (!Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) {
      throw new AssertionError("playwright-core is not installed in " + dir + ": " + INSTALL_HINT);
    }
  }

  private static String outputs(File out, File err) throws IOException {
    return "--- stdout\n" + Files.readString(out.toPath(), StandardCharsets.UTF_8)
        + "--- stderr\n" + Files.readString(err.toPath(), StandardCharsets.UTF_8);
  }
}
