package io.reactivews.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * A module's exports as compiled, read from the {@code module-info.class} next to one of its
 * classes. Tests run on the class path, where {@code Class.getModule()} is unnamed, so the
 * descriptor is read from the build output (a directory or a jar) instead.
 */
public record ModuleExports(String module, Set<String> toAll, Map<String, Set<String>> qualified) {

  /** The exports of the module that {@code member} is compiled into. */
  public static ModuleExports of(Class<?> member) {
    ModuleDescriptor descriptor = descriptor(member);
    Set<String> toAll = new TreeSet<>();
    Map<String, Set<String>> qualified = new TreeMap<>();
    for (ModuleDescriptor.Exports e : descriptor.exports()) {
      if (e.isQualified()) {
        qualified.put(e.source(), new TreeSet<>(e.targets()));
      } else {
        toAll.add(e.source());
      }
    }
    return new ModuleExports(descriptor.name(), toAll, qualified);
  }

  private static ModuleDescriptor descriptor(Class<?> member) {
    try {
      Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
          return ModuleDescriptor.read(in);
        }
      }
      try (JarFile jar = new JarFile(location.toFile());
          InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        return ModuleDescriptor.read(in);
      }
    } catch (IOException | URISyntaxException e) {
      throw new AssertionError("no module descriptor next to " + member, e);
    }
  }
}
