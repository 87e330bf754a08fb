package io.reactivews.examples.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks on a screenshot a driver saved: a real PNG of a page that rendered something. */
final class Screenshot {

  // 89 'P' 'N' 'G' CR LF SUB LF: the PNG file signature.
  private static final byte[] PNG_SIGNATURE = {
      (byte) 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a};

  // A blank or failed page has one or two colours; text, borders and accents have many more.
  private static final int MIN_COLOURS = 32;

  private Screenshot() {}

  /** Fails unless {@code png} decodes to a {@code width x height} image with many colours. */
  static void assertRenderedPage(Path png, int width, int height) throws IOException {
    assertTrue(Files.isRegularFile(png), "no screenshot at " + png);
    byte[] head;
    try (InputStream in = Files.newInputStream(png)) {
      head = in.readNBytes(PNG_SIGNATURE.length);
    }
    assertArrayEquals(PNG_SIGNATURE, head, "not a PNG: " + png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "undecodable PNG: " + png);
    assertTrue(width >= 640 && height >= 400, "a viewport too small to show a page");
    assertTrue(image.getWidth() == width && image.getHeight() == height,
        "screenshot is " + image.getWidth() + "x" + image.getHeight());
    int colours = colours(image);
    assertTrue(colours >= MIN_COLOURS, "a nearly blank screenshot: " + colours + " colours");
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
