package io.reactivews.testing.conformance;

import io.reactivews.testing.RawFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads raw frames off an upgraded socket on a daemon thread and queues them, then how the
 * connection ended, for a {@link PeerConnection} to {@link #poll}. The reader gives up after
 * {@link #IDLE_LIMIT} of silence, so that no test waits on it forever.
 *
 * <p>Thread-safe: one reader thread puts, the test thread polls. {@link #close()} closes the
 * socket and waits for the reader.
 */
public final class FrameInbox implements AutoCloseable {

  /** The reader stops (reporting {@link PeerConnection.EndKind#IDLE}) after this silence. */
  public static final Duration IDLE_LIMIT = Duration.ofSeconds(30);

  private final Socket socket;
  private final BlockingQueue<PeerConnection.Inbound> inbound = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean closing;

  private FrameInbox(Socket socket, InputStream in) {
    this.socket = socket;
    this.reader = new Thread(() -> readLoop(in), "frame-inbox-" + socket.getLocalPort());
    reader.setDaemon(true);
  }

  /**
   * Starts reading {@code socket}, whose handshake was read byte by byte so that its stream
   * holds nothing but frames.
   */
  public static FrameInbox start(Socket socket) throws IOException {
    socket.setSoTimeout((int) IDLE_LIMIT.toMillis());
    FrameInbox inbox = new FrameInbox(socket, socket.getInputStream());
    inbox.reader.start();
    return inbox;
  }

  /** The next frame or the end within {@code timeout}, or null if nothing came. */
  public PeerConnection.Inbound poll(Duration timeout) throws InterruptedException {
    return inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() throws IOException {
    closing = true;
    try {
      socket.close();
    } finally {
      try {
        reader.join(IDLE_LIMIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void readLoop(InputStream in) {
    try {
      while (true) {
        RawFrame frame = RawFrame.readOrNull(in);
        if (frame == null) {
          end(PeerConnection.EndKind.EOF, "end of stream");
          return;
        }
        inbound.add(new PeerConnection.Received(frame));
      }
    } catch (EOFException e) {
      end(PeerConnection.EndKind.TRUNCATED, "end of stream inside a frame");
    } catch (SocketTimeoutException e) {
      end(PeerConnection.EndKind.IDLE, "nothing for " + IDLE_LIMIT.toSeconds() + " s");
    } catch (IOException e) {
      end(closing ? PeerConnection.EndKind.CLOSED_HERE : PeerConnection.EndKind.RESET,
          String.valueOf(e.getMessage()));
    }
  }

  private void end(PeerConnection.EndKind kind, String detail) {
    inbound.add(new PeerConnection.Ended(kind, detail));
  }
}
