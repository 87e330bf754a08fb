package io.reactivews.core.compression;

import java.util.zip.Deflater;

/**
 * How a server or client uses permessage-deflate (RFC 7692). Immutable: each setter returns a
 * copy and checks its argument; {@link #defaults()} is what a production server can keep.
 *
 * <pre>{@code
 * SessionOptions.defaults().compression(DeflateOptions.defaults().level(3).threshold(512));
 * SessionOptions.defaults().compression(DeflateOptions.disabled());
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>enabled</td><td>true</td>
 *       <td>a server accepts offers, a client offers {@code permessage-deflate;
 *       client_max_window_bits}</td></tr>
 *   <tr><td>level</td><td>6</td><td>zlib compression level, 1 (fast) to 9 (small)</td></tr>
 *   <tr><td>threshold</td><td>128 bytes</td>
 *       <td>smaller messages go out uncompressed: deflate gains little on them</td></tr>
 *   <tr><td>contextTakeover</td><td>false</td>
 *       <td>keep compression context between messages: better ratio, but a dedicated
 *       {@code Deflater} (about 256 KiB native) and {@code Inflater} (about 40 KiB) per
 *       connection for its whole life</td></tr>
 * </table>
 *
 * <p>Without context takeover (the default) a server answers {@code server_no_context_takeover;
 * client_no_context_takeover}: each message is compressed on its own with a pooled {@code
 * Deflater}, and inflated with a pooled {@code Inflater} borrowed for that message only, so an
 * idle connection holds no zlib memory at all, and a broadcast is compressed once for every
 * session.
 */
public final class DeflateOptions {

  private static final DeflateOptions DEFAULTS = new DeflateOptions(true, 6, 128, false);
  private static final DeflateOptions DISABLED = new DeflateOptions(false, 6, 128, false);

  private final boolean enabled;
  private final int level;
  private final int threshold;
  private final boolean contextTakeover;

  private DeflateOptions(boolean enabled, int level, int threshold, boolean contextTakeover) {
    this.enabled = enabled;
    this.level = level;
    this.threshold = threshold;
    this.contextTakeover = contextTakeover;
  }

  /** Compression on, cheap per connection: no context takeover either way. */
  public static DeflateOptions defaults() {
    return DEFAULTS;
  }

  /** Compression off: a server declines every offer, a client offers nothing. */
  public static DeflateOptions disabled() {
    return DISABLED;
  }

  /** A copy with compression on or off. */
  public DeflateOptions enabled(boolean on) {
    return new DeflateOptions(on, level, threshold, contextTakeover);
  }

  /** The zlib level, 1 to 9. */
  public DeflateOptions level(int newLevel) {
    if (newLevel < Deflater.BEST_SPEED || newLevel > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("level must be 1-9: " + newLevel);
    }
    return new DeflateOptions(enabled, newLevel, threshold, contextTakeover);
  }

  /** Messages under this many bytes go out uncompressed; 0 compresses every message. */
  public DeflateOptions threshold(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("threshold must not be negative: " + bytes);
    }
    return new DeflateOptions(enabled, level, bytes, contextTakeover);
  }

  /**
   * A copy that keeps compression context between messages where the peer allows it, and lets
   * the peer keep its own: better ratios on streams of similar small messages, at the cost of a
   * dedicated Deflater and Inflater per connection (about 300 KiB of native memory), and of
   * compressing a broadcast once per session instead of once.
   */
  public DeflateOptions contextTakeover(boolean keep) {
    return new DeflateOptions(enabled, level, threshold, keep);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public int level() {
    return level;
  }

  public int threshold() {
    return threshold;
  }

  public boolean contextTakeover() {
    return contextTakeover;
  }

  @Override
  public String toString() {
    return enabled ? "DeflateOptions[level " + level + ", threshold " + threshold
        + (contextTakeover ? ", context takeover]" : "]") : "DeflateOptions[disabled]";
  }
}
