package io.reactivews.client.conformance;

import io.reactivews.testing.ScriptedServer;
import io.reactivews.testing.conformance.CaseRunner;
import io.reactivews.testing.conformance.FrameInbox;
import io.reactivews.testing.conformance.PeerConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The peer's end of a conformance case against the client: an upgraded {@link
 * ScriptedServer.Peer}, read by a {@link FrameInbox}. Closing it closes the socket and then
 * requires the client's run on that connection to have ended: a client that hangs on a
 * connection its server closed fails the case.
 */
final class ServerPeer implements PeerConnection {

  private final ScriptedServer.Peer peer;
  private final OutputStream out;
  private final FrameInbox inbox;
  private final CompletableFuture<?> clientRun;

  /**
   * Reads {@code peer}, whose handshake is done; {@code clientRun} completes (either way) when
   * the client is done with the connection.
   */
  ServerPeer(ScriptedServer.Peer peer, CompletableFuture<?> clientRun) throws IOException {
    this.peer = peer;
    this.clientRun = clientRun;
    peer.socket().setTcpNoDelay(true); // each chop leaves as its own segment
    this.out = peer.socket().getOutputStream();
    this.inbox = FrameInbox.start(peer.socket());
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    out.flush();
  }

  @Override
  public Inbound poll(Duration timeout) throws InterruptedException {
    return inbox.poll(timeout);
  }

  @Override
  public void shutdownOutput() throws IOException {
    peer.socket().shutdownOutput();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    inbox.close();
    try {
      clientRun.get(CaseRunner.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // ended with an error: ended all the same; the case judged the wire
    } catch (TimeoutException e) {
      throw new AssertionError("the client's session did not end within "
          + CaseRunner.WAIT.toMillis() + " ms of its connection closing");
    }
  }
}
