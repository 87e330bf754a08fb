package io.reactivews.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 is ours: no main source of any module may use Netty's HTTP or WebSocket codecs or
 * reactor-netty-http. (netty-codec-http is on the class path anyway, as a dependency of the
 * proxy handler, so the build cannot ban the jar; this test bans its use.)
 */
class NoForeignHttpCodecTest {

  private static final Pattern FORBIDDEN =
      Pattern.compile("\\bio\\.netty\\.handler\\.codec\\.http|\\breactor\\.netty\\.http\\b");

  @Test
  void mainSourcesOfEveryModuleStayOffForeignHttpCodecs() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> mainDirs = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
          .forEach(mainDirs::add);
    }
    assertTrue(mainDirs.size() >= 2, "expected the modules' main sources beside core: " + mainDirs);
    List<String> offenders = new ArrayList<>();
    for (Path dir : mainDirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        Iterable<Path> sources = files.filter(f -> f.toString().endsWith(".java"))::iterator;
        for (Path file : sources) {
          if (FORBIDDEN.matcher(Files.readString(file)).find()) {
            offenders.add(root.relativize(file).toString());
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  @Test
  void thePatternCatchesBothForbiddenPackages() {
    assertTrue(FORBIDDEN.matcher(
        "import io.netty.handler.codec.http.websocketx.WebSocketFrame;").find());
    assertTrue(FORBIDDEN.matcher("import reactor.netty.http.server.HttpServer;").find());
  }
}
