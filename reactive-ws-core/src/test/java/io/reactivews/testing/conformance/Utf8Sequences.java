package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.Payloads.KOSME;
import static io.reactivews.testing.conformance.Payloads.hex;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte sequences of suite cases 6.5.* to 6.23.*, in the suite's order so that the case ids
 * match: groups drawn from the classic UTF-8 decoder stress test, each sequence marked valid or
 * not under RFC 3629 (code points up to U+10FFFF, no surrogates, no overlong forms; noncharacters
 * are valid).
 */
public final class Utf8Sequences {

  /** One group, numbered 6.{@code number}; its sequences are numbered from 1. */
  public record Group(int number, String title, List<Sequence> sequences) {}

  public record Sequence(boolean valid, byte[] bytes) {}

  private Utf8Sequences() {}

  public static List<Group> groups() {
    List<Group> groups = new ArrayList<>();
    add(groups, "valid UTF-8 sequences",
        valid("68656c6c6f 24 776f726c64"), // U+0024 between "hello" and "world"
        valid("68656c6c6f c2a2 776f726c64"), // U+00A2
        valid("68656c6c6f e282ac 776f726c64"), // U+20AC
        valid("68656c6c6f f0a4ada2 776f726c64"), // U+24B62
        new Sequence(true, KOSME));
    add(groups, "every prefix of a multi-byte string", kosmePrefixes());
    add(groups, "first possible sequence of each length",
        valid("00"), valid("c280"), valid("e0a080"), valid("f0908080"));
    add(groups, "first 5- and 6-byte sequences (beyond U+10FFFF)",
        invalid("f888808080"), invalid("fc8480808080"));
    add(groups, "last possible sequence of each length",
        valid("7f"), valid("dfbf"), valid("efbfbf"), valid("f48fbfbf"));
    add(groups, "last 4-, 5- and 6-byte sequences (beyond U+10FFFF)",
        invalid("f7bfbfbf"), invalid("fbbfbfbfbf"), invalid("fdbfbfbfbfbf"));
    add(groups, "other boundary conditions",
        valid("ed9fbf"), valid("ee8080"), valid("efbfbd"), valid("f48fbfbf"),
        invalid("f4908080"));
    add(groups, "unexpected continuation bytes",
        invalid("80"), invalid("bf"), invalid("80bf"), invalid("80bf80"), invalid("80bf80bf"),
        invalid("80bf80bf80"), invalid("80bf80bf80bf"),
        new Sequence(false, range(0x80, 0xbf, false)));
    add(groups, "lonely start bytes, each followed by a space",
        new Sequence(false, range(0xc0, 0xdf, true)),
        new Sequence(false, range(0xe0, 0xef, true)),
        new Sequence(false, range(0xf0, 0xf7, true)),
        new Sequence(false, range(0xf8, 0xfb, true)),
        new Sequence(false, range(0xfc, 0xfd, true)));
    String[] lastByteMissing = {"c0", "e080", "f08080", "f8808080", "fc80808080",
        "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"};
    add(groups, "sequences with the last continuation byte missing",
        Arrays.stream(lastByteMissing).map(Utf8Sequences::invalid).toArray(Sequence[]::new));
    add(groups, "concatenation of incomplete sequences",
        invalid(String.join("", lastByteMissing)));
    add(groups, "impossible bytes", invalid("fe"), invalid("ff"), invalid("fefeffff"));
    add(groups, "overlong ASCII '/'",
        invalid("c0af"), invalid("e080af"), invalid("f08080af"), invalid("f8808080af"),
        invalid("fc80808080af"));
    add(groups, "maximum overlong sequences",
        invalid("c1bf"), invalid("e09fbf"), invalid("f08fbfbf"), invalid("f887bfbfbf"),
        invalid("fc83bfbfbfbf"));
    add(groups, "overlong NUL",
        invalid("c080"), invalid("e08080"), invalid("f0808080"), invalid("f880808080"),
        invalid("fc8080808080"));
    add(groups, "single UTF-16 surrogates",
        invalid("eda080"), invalid("edadbf"), invalid("edae80"), invalid("edafbf"),
        invalid("edb080"), invalid("edbe80"), invalid("edbfbf"));
    add(groups, "paired UTF-16 surrogates",
        invalid("eda080edb080"), invalid("eda080edbfbf"), invalid("edadbfedb080"),
        invalid("edadbfedbfbf"), invalid("edae80edb080"), invalid("edae80edbfbf"),
        invalid("edafbfedb080"), invalid("edafbfedbfbf"));
    add(groups, "noncharacters (valid UTF-8)", noncharacters());
    add(groups, "Unicode specials, such as the replacement character",
        valid("efbfb9"), valid("efbfba"), valid("efbfbb"), valid("efbfbc"), valid("efbfbd"),
        valid("efbfbe"), valid("efbfbf"));
    return groups;
  }

  private static void add(List<Group> groups, String title, Sequence... sequences) {
    groups.add(new Group(5 + groups.size(), title, List.of(sequences)));
  }

  /** Prefixes of "κόσμε": valid exactly when they end on a character boundary. */
  private static Sequence[] kosmePrefixes() {
    List<Integer> boundaries = List.of(2, 5, 7, 9, 11);
    Sequence[] prefixes = new Sequence[KOSME.length];
    for (int n = 1; n <= KOSME.length; n++) {
      prefixes[n - 1] = new Sequence(boundaries.contains(n), Arrays.copyOf(KOSME, n));
    }
    return prefixes;
  }

  /** EF BF BE/BF, then F0-F4 xF BF BE/BF up to U+10FFFF, skipping the overlong F0 8F. */
  private static Sequence[] noncharacters() {
    List<Sequence> list = new ArrayList<>();
    list.add(valid("efbfbe"));
    list.add(valid("efbfbf"));
    for (int lead = 0xf0; lead <= 0xf4; lead++) {
      for (int second : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
        if (lead == 0xf4 && second != 0x8f) {
          continue; // beyond U+10FFFF
        }
        if (lead == 0xf0 && second == 0x8f) {
          continue; // overlong
        }
        for (int last : new int[] {0xbe, 0xbf}) {
          list.add(new Sequence(true,
              new byte[] {(byte) lead, (byte) second, (byte) 0xbf, (byte) last}));
        }
      }
    }
    return list.toArray(Sequence[]::new);
  }

  /** Bytes {@code from} up to (not including) {@code to}, each followed by a space if asked. */
  private static byte[] range(int from, int to, boolean spaced) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = from; b < to; b++) {
      out.write(b);
      if (spaced) {
        out.write(0x20);
      }
    }
    return out.toByteArray();
  }

  private static Sequence valid(String hex) {
    return new Sequence(true, hex(hex));
  }

  private static Sequence invalid(String hex) {
    return new Sequence(false, hex(hex));
  }
}
