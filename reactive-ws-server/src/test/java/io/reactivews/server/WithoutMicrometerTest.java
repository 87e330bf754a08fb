package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: a server given no registry runs on a class path without it. The
 * program runs in a class loader made of this test's class path minus Micrometer's jars, so
 * linking any Micrometer type on the way would fail it with a {@code NoClassDefFoundError}.
 */
class WithoutMicrometerTest {

  private static final String LEAK_DETECTOR = "io.netty.customResourceLeakDetector";

  @Test
  void aServerWithoutARegistryRunsWithNoMicrometerOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!new File(entry).getName().startsWith("micrometer-")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    assertFalse(urls.isEmpty());
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    // The build's leak detector class would be loaded apart from this loader's Netty: not here.
    String detector = System.clearProperty(LEAK_DETECTOR);
    try (URLClassLoader withoutMicrometer =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      // The loader really has no Micrometer: else this test could not fail.
      assertThrows(ClassNotFoundException.class, () -> Class.forName(
          "io.micrometer.core.instrument.MeterRegistry", false, withoutMicrometer));
      Thread.currentThread().setContextClassLoader(withoutMicrometer);
      Class<?> program = Class.forName(NoMeterProgram.class.getName(), true, withoutMicrometer);
      assertEquals("no meters", program.getMethod("run").invoke(null));
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
      if (detector != null) {
        System.setProperty(LEAK_DETECTOR, detector);
      }
    }
  }
}
