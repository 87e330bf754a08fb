package io.reactivews.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * What a peer saw, one check per line of JSON, in the order the peer reported them:
 *
 * <pre>
 * {"check":"peer","name":"ws","version":"8.23.0","runtime":"node v20.20.2"}
 * {"check":"open","subprotocol":"interop.v2","extensions":""}
 * {"check":"echo","index":0,"type":"text","length":0,"sha256":"e3b0..."}
 * {"check":"close","code":1000,"reason":"done"}
 * {"check":"error","message":"..."}      (instead of what did not happen)
 * </pre>
 *
 * <p>The in-process JDK peer writes the same lines, so one set of assertions covers every peer.
 */
public final class PeerReport {

  private static final JsonMapper JSON = new JsonMapper();

  private final List<JsonNode> lines;
  private final String transcript;

  private PeerReport(List<JsonNode> lines, String transcript) {
    this.lines = lines;
    this.transcript = transcript;
  }

  /** Parses a peer's standard output; a line that is not JSON is an error line. */
  public static PeerReport parse(String stdout) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        lines.add(JSON.readTree(line));
      } catch (Exception e) {
        lines.add(JSON.createObjectNode()
            .put("check", "error").put("message", "not JSON: " + line));
      }
    }
    return new PeerReport(List.copyOf(lines), stdout);
  }

  /** One report line, as the peers write it. */
  public static String line(Object... keysAndValues) {
    var node = JSON.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.putPOJO((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return node.toString();
  }

  /** The first line of this kind; fails, showing everything the peer said, if there is none. */
  public JsonNode one(String check) {
    return lines.stream().filter(l -> check.equals(l.path("check").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("the peer reported no '" + check + "' line:\n"
            + transcript));
  }

  public List<JsonNode> all(String check) {
    return lines.stream().filter(l -> check.equals(l.path("check").asText())).toList();
  }

  public List<String> errors() {
    return all("error").stream().map(l -> l.path("message").asText()).toList();
  }

  /** Everything the peer said, for failure messages. */
  public String transcript() {
    return transcript;
  }

  @Override
  public String toString() {
    return transcript;
  }
}
