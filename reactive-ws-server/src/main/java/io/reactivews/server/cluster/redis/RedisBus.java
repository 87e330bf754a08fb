package io.reactivews.server.cluster.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.reactivews.core.message.Message;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.DeliveryMode;
import io.reactivews.server.cluster.LocalNode;
import io.reactivews.server.cluster.LocalTopics;
import io.reactivews.server.cluster.Presence;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.server.cluster.SendOutcome;
import io.reactivews.server.cluster.TopicMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@link ClusterBus} on Redis, through Lettuce: topics over pub/sub or streams (see {@link
 * DeliveryMode}), sessions found by id in a Redis hash and reached through each node's inbox
 * channel, and presence in per-node sets that expire with the node's heartbeat.
 *
 * <pre>{@code
 * RedisBus bus = RedisBus.spec("redis://localhost:6379").streams(10_000, Duration.ofMinutes(5))
 *     .connect();
 * BoundServer node = WebSocketServer.create().cluster(bus).route("/live", live).bindNow();
 * ...
 * node.shutdown(Duration.ofSeconds(5)).block();
 * bus.dispose();                                      // says goodbye: leaves rooms at once
 * }</pre>
 *
 * <p><b>Faults.</b> Redis may be away at start, restart or vanish: the bus keeps trying with
 * backoff, this node's own subscribers keep getting what is published here ({@link
 * PublishOutcome#LOCAL_ONLY}), and nothing waits in memory for Redis. Each change is an event:
 * {@link ClusterEvent.Down}, then {@link ClusterEvent.Up} once it has subscribed again and said
 * again which sessions and rooms it holds, and a {@link ClusterEvent.Gap} for every topic that
 * may have lost messages (in pub/sub mode, every topic after each outage).
 *
 * <p><b>Redis made to match memory.</b> After an outage each of the node's room sets is replaced
 * by the members it holds (a session that left meanwhile is not listed again); a heartbeat that
 * finds the node forgotten while connected (Redis emptied by a failover, or the node's keys
 * expired in a long pause) has it say its sessions and rooms again; the node that prunes a dead
 * one also removes the dead one's sessions from the directory. Everything a node keeps in Redis
 * is its process's, so a node restarted under its id does not inherit the dead process's state.
 *
 * <p>Thread-safe. Topic messages are handed to subscribers on Lettuce's I/O threads, so a
 * subscriber must not block (a {@code Broadcast} never does).
 */
public final class RedisBus implements ClusterBus {

  private static final int HISTORY_PAGE = 256;
  /** Streams trimmed at once in a heartbeat: Lettuce pipelines them on one connection. */
  private static final int CONCURRENCY = 64;
  /** HDEL of directory entries (ARGV) only while their owner's heartbeat (KEYS[2]) is absent. */
  private static final String FORGET_IF_GONE = String.join("\n",
      "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end",
      "return redis.call('HDEL', KEYS[1], unpack(ARGV))");

  private final RedisBusSpec spec;
  private final Keys keys;
  private final String nodeId;
  /**
   * This process's name in Redis: the node id and a random part. Every key the node keeps alive
   * (heartbeat, inbox, rooms, its sessions in the directory) is the instance's, so a node
   * restarted under the same id, before its old keys expire, starts clean rather than inheriting
   * the dead process's members; two nodes given one id by mistake do not share state either.
   */
  private final String instance;
  private final LocalTopics topics = new LocalTopics();
  private final Set<String> publishedStreams = ConcurrentHashMap.newKeySet();
  // The latest of Up and Down is replayed, so a server attached late still learns the state.
  private final Sinks.Many<ClusterEvent> state = Sinks.many().replay().latest();
  private final Sinks.Many<ClusterEvent> gaps = Sinks.many().multicast().directBestEffort();
  private final RedisLink link;
  private final RedisPresence presence;
  private final StreamReader reader;
  private volatile LocalNode node;
  /**
   * A session closed without Redis hearing of it: the next resync walks the directory for the
   * entries left behind. Only then, since the walk reads every node's entries.
   */
  private volatile boolean unsaidCloses;
  private volatile boolean disposed;

  RedisBus(RedisBusSpec spec) {
    this(spec, UnaryOperator.identity());
  }

  /**
   * A bus whose link calls go through {@code aroundLink}: a seam for tests that need to hold the
   * link at a given step (between a resync and "up", say), which no timing from outside can hit.
   */
  RedisBus(RedisBusSpec spec, UnaryOperator<RedisLink.Callbacks> aroundLink) {
    this.spec = spec;
    this.keys = new Keys(spec.keyPrefix);
    this.nodeId = spec.nodeId;
    this.instance = Keys.instanceOf(nodeId);
    this.link = new RedisLink(spec, aroundLink.apply(new LinkCallbacks()), this::listen);
    this.presence = new RedisPresence(keys, instance, spec.nodeTtl.toMillis(), link::commands);
    this.reader = spec.mode == DeliveryMode.STREAMS
        ? new StreamReader(spec, keys, topics, link::reader, this::gap)
        : null;
  }

  /**
   * A spec for a bus on the Redis at {@code uri}, such as {@code redis://host:6379}.
   *
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   */
  public static RedisBusSpec spec(String uri) {
    return new RedisBusSpec(uri);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public DeliveryMode mode() {
    return spec.mode;
  }

  /** Whether Redis is reachable and this node is known to it, as last seen. */
  public boolean isConnected() {
    return link.isUp();
  }

  @Override
  public Mono<PublishOutcome> publish(String topic, Message message) {
    return spec.mode == DeliveryMode.STREAMS ? append(topic, message) : broadcast(topic, message);
  }

  /** Pub/sub: here at once, elsewhere at most once. */
  private Mono<PublishOutcome> broadcast(String topic, Message message) {
    return Mono.defer(() -> {
      topics.emit(new TopicMessage(topic, null, nodeId, message));
      RedisReactiveCommands<byte[], byte[]> c = link.commands();
      if (c == null || !link.isUp()) {
        return Mono.just(PublishOutcome.LOCAL_ONLY);
      }
      return c.publish(keys.channel(topic), new Envelope(instance, message).encode())
          .thenReturn(PublishOutcome.CLUSTER)
          .onErrorReturn(PublishOutcome.LOCAL_ONLY);
    });
  }

  /** Streams: appended, then read back by every node, this one included, with its offset. */
  private Mono<PublishOutcome> append(String topic, Message message) {
    return Mono.defer(() -> {
      RedisReactiveCommands<byte[], byte[]> c = link.commands();
      if (c == null || !link.isUp()) {
        return Mono.just(localOnly(topic, message));
      }
      publishedStreams.add(topic);
      XAddArgs args = XAddArgs.Builder.maxlen(spec.maxLength).approximateTrimming();
      return c.xadd(keys.stream(topic), args, Map.of(Keys.bytes("e"),
              new Envelope(instance, message).encode()))
          .thenReturn(PublishOutcome.CLUSTER)
          .onErrorResume(e -> Mono.just(localOnly(topic, message)));
    });
  }

  /** Without Redis a message has no offset; it still reaches this node's subscribers. */
  private PublishOutcome localOnly(String topic, Message message) {
    topics.emit(new TopicMessage(topic, null, nodeId, message));
    return PublishOutcome.LOCAL_ONLY;
  }

  @Override
  public Flux<TopicMessage> subscribe(String topic) {
    Flux<TopicMessage> flux = topics.flux(topic);
    if (spec.mode == DeliveryMode.PUB_SUB) {
      subscribeChannel(topic);
    } else {
      // Up or not, as for pub/sub below: a topic added while a resync runs, after the resync
      // listed the topics and before it said up, was otherwise started by the read loop's next
      // pass, up to a read's block later, and what other nodes published meanwhile was lost.
      reader.track(topic, link.commands());
    }
    return flux;
  }

  private void subscribeChannel(String topic) {
    StatefulRedisPubSubConnection<byte[], byte[]> p = link.pubsub();
    // Up or not: a topic added while a resync runs, after the resync listed the topics and
    // before it said up, would otherwise wait for the next reconnect, its messages lost till
    // then (a node subscribing right after connect() met that). If this fails, Redis is away,
    // and the resync that follows its return lists the topic.
    if (p != null) {
      p.reactive().subscribe(keys.channel(topic)).subscribe(null, e -> { });
    }
  }

  /** Completes once this node reads {@code topic}'s stream (streams mode; for tests). */
  Mono<Void> positioned(String topic) {
    return reader == null ? Mono.empty() : reader.positioned(topic);
  }

  @Override
  public Flux<TopicMessage> resume(String topic, String offset) {
    StreamId from = StreamId.parse(offset);
    if (offset == null) {
      return subscribe(topic);
    }
    if (spec.mode != DeliveryMode.STREAMS || from == null) {
      return subscribe(topic).startWith(TopicMessage.gap(topic));
    }
    Flux<TopicMessage> live = subscribe(topic);
    return reader.positioned(topic)
        .timeout(spec.nodeTtl)
        .thenMany(Flux.defer(() -> catchUp(topic, from)))
        // A backlog overflow, or Redis gone meanwhile: say so, then go on live.
        .onErrorResume(e -> !disposed, e -> live.startWith(TopicMessage.gap(topic)));
  }

  /**
   * History after {@code from}, then live messages, each once: live ones are taken from the
   * start (held up to {@code resumeBacklog}) so that none falls between the two, and those the
   * history already gave are skipped.
   */
  private Flux<TopicMessage> catchUp(String topic, StreamId from) {
    AtomicReference<StreamId> last = new AtomicReference<>(from);
    Flux<TopicMessage> history = gapBefore(topic, from).concatWith(page(topic, from));
    Flux<TopicMessage> live = topics.flux(topic).onBackpressureBuffer(spec.resumeBacklog);
    return Flux.mergeSequential(history, live)
        .filter(m -> {
          StreamId id = StreamId.parse(m.offset());
          if (id == null) {
            return true; // a gap, or a message that never reached Redis
          }
          if (id.compareTo(last.get()) <= 0) {
            return false;
          }
          last.set(id);
          return true;
        });
  }

  /** A gap if the client's last entry is gone: trimmed, or lost with Redis's data. */
  private Flux<TopicMessage> gapBefore(String topic, StreamId from) {
    if (from.equals(StreamId.ZERO)) {
      return Flux.empty();
    }
    RedisReactiveCommands<byte[], byte[]> c = link.commands();
    return c.xrange(keys.stream(topic), Range.create(from.toString(), from.toString()))
        .hasElements()
        .flatMapMany(present -> present ? Flux.empty() : Flux.just(TopicMessage.gap(topic)));
  }

  private Flux<TopicMessage> page(String topic, StreamId after) {
    RedisReactiveCommands<byte[], byte[]> c = link.commands();
    Range<String> range = Range.from(Range.Boundary.excluding(after.toString()),
        Range.Boundary.unbounded());
    return c.xrange(keys.stream(topic), range, Limit.create(0, HISTORY_PAGE))
        .collectList()
        .flatMapMany(entries -> {
          List<TopicMessage> messages = new ArrayList<>(entries.size());
          for (StreamMessage<byte[], byte[]> e : entries) {
            TopicMessage m = toTopicMessage(topic, e);
            if (m != null) {
              messages.add(m);
            }
          }
          Flux<TopicMessage> these = Flux.fromIterable(messages);
          if (entries.size() < HISTORY_PAGE) {
            return these;
          }
          StreamId next = StreamId.parse(entries.get(entries.size() - 1).getId());
          return these.concatWith(Flux.defer(() -> page(topic, next)));
        });
  }

  static TopicMessage toTopicMessage(String topic, StreamMessage<byte[], byte[]> entry) {
    for (byte[] value : entry.getBody().values()) {
      Envelope envelope = Envelope.decode(value);
      if (envelope != null) {
        return new TopicMessage(topic, entry.getId(), Keys.nodeOf(envelope.label()),
            envelope.message());
      }
    }
    return null;
  }

  @Override
  public Mono<SendOutcome> sendTo(String sessionId, Message message) {
    return Mono.defer(() -> {
      LocalNode local = node;
      if (local != null) {
        switch (local.deliver(sessionId, message)) {
          case OK:
            return Mono.just(SendOutcome.DELIVERED);
          case FAIL_OVERFLOW:
            return Mono.just(SendOutcome.OVERFLOW);
          default:
            break;
        }
      }
      RedisReactiveCommands<byte[], byte[]> c = link.commands();
      if (c == null || !link.isUp()) {
        return Mono.just(SendOutcome.UNAVAILABLE);
      }
      byte[] id = Keys.bytes(sessionId);
      return c.hget(keys.sessions(), id)
          .map(Keys::string)
          .flatMap(owner -> owner.equals(instance)
              ? c.hdel(keys.sessions(), id).thenReturn(SendOutcome.NOT_FOUND)
              : forward(c, owner, sessionId, message))
          .defaultIfEmpty(SendOutcome.NOT_FOUND)
          .onErrorReturn(SendOutcome.UNAVAILABLE);
    });
  }

  /** Publishes to the owner's inbox: nobody listening there means the node is gone. */
  private Mono<SendOutcome> forward(RedisReactiveCommands<byte[], byte[]> c, String owner,
      String sessionId, Message message) {
    return c.publish(keys.inbox(owner), new Envelope(sessionId, message).encode())
        .flatMap(receivers -> receivers > 0
            ? Mono.just(SendOutcome.FORWARDED)
            : c.exists(keys.heartbeat(owner))
                .flatMap(alive -> alive > 0
                    ? Mono.just(SendOutcome.NODE_GONE)
                    // Dead for good: forget its sessions as they are asked for.
                    : c.hdel(keys.sessions(), Keys.bytes(sessionId))
                        .thenReturn(SendOutcome.NODE_GONE)));
  }

  @Override
  public Presence presence() {
    return presence;
  }

  /** The current state (Up or Down) first, then every change and gap. */
  @Override
  public Flux<ClusterEvent> events() {
    return Flux.merge(state.asFlux(), gaps.asFlux());
  }

  @Override
  public void attach(LocalNode node) {
    this.node = node;
  }

  @Override
  public void sessionOpened(String sessionId) {
    RedisReactiveCommands<byte[], byte[]> c = link.commands();
    // Up or not: a session opened while a resync runs, after it listed the sessions and before
    // it said up, would otherwise stay out of the directory. While Redis is away the command is
    // refused at once, and the resync that follows its return lists the session.
    if (c != null) {
      c.hset(keys.sessions(), Keys.bytes(sessionId), Keys.bytes(instance))
          .subscribe(null, e -> { });
    }
  }

  @Override
  public void sessionClosed(String sessionId) {
    presence.closed(sessionId).subscribe(null, e -> { });
    RedisReactiveCommands<byte[], byte[]> c = link.commands();
    if (c == null) {
      unsaidCloses = true;
      return;
    }
    c.hdel(keys.sessions(), Keys.bytes(sessionId)).subscribe(null, e -> unsaidCloses = true);
  }

  /** Pub/sub messages: topics from other nodes, and messages for this node's sessions. */
  private void listen(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
    byte[] inbox = keys.inbox(instance);
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] channel, byte[] bytes) {
        Envelope envelope = Envelope.decode(bytes);
        if (envelope == null) {
          return;
        }
        if (Arrays.equals(channel, inbox)) {
          deliver(envelope.label(), envelope.message());
        } else if (keys.isTopicChannel(channel) && !envelope.label().equals(instance)) {
          topics.emit(new TopicMessage(keys.topicOfChannel(channel), null,
              Keys.nodeOf(envelope.label()), envelope.message()));
        }
      }
    });
  }

  private void deliver(String sessionId, Message message) {
    LocalNode local = node;
    if (local == null || local.deliver(sessionId, message) == Sinks.EmitResult.FAIL_TERMINATED) {
      // Not here any more: the directory was stale.
      RedisReactiveCommands<byte[], byte[]> c = link.commands();
      if (c != null) {
        c.hdel(keys.sessions(), Keys.bytes(sessionId)).subscribe(null, e -> { });
      }
    }
  }

  private void gap(String topic) {
    topics.emit(TopicMessage.gap(topic));
    synchronized (gaps) {
      gaps.tryEmitNext(new ClusterEvent.Gap(nodeId, topic));
    }
  }

  private void emitState(ClusterEvent event) {
    synchronized (state) {
      state.tryEmitNext(event);
    }
  }

  /** Says goodbye (leaves the directory and every room at once), then closes. */
  @Override
  public void dispose() {
    if (disposed) {
      return;
    }
    disposed = true;
    RedisReactiveCommands<byte[], byte[]> c = link.commands();
    if (c != null && link.isUp()) {
      try {
        goodbye(c).block(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        // Redis went away meanwhile: the TTLs will do it.
      }
    }
    stop();
  }

  /** Stops without a word, as a killed node would: others notice through the TTLs. */
  void abandon() {
    disposed = true;
    stop();
  }

  private void stop() {
    if (reader != null) {
      reader.dispose();
    }
    link.dispose();
    topics.complete();
    synchronized (state) {
      state.tryEmitComplete();
    }
    synchronized (gaps) {
      gaps.tryEmitComplete();
    }
  }

  private Mono<Void> goodbye(RedisReactiveCommands<byte[], byte[]> c) {
    LocalNode local = node;
    List<byte[]> sessions = new ArrayList<>();
    if (local != null) {
      local.sessionIds().forEach(id -> sessions.add(Keys.bytes(id)));
    }
    Mono<Long> forget = sessions.isEmpty() ? Mono.empty()
        : c.hdel(keys.sessions(), sessions.toArray(byte[][]::new));
    return Flux.fromIterable(presence.local().snapshot().keySet())
        .concatMap(room -> c.del(keys.room(room, instance)))
        .then(forget)
        .then(c.del(keys.heartbeat(instance)))
        .then(c.srem(keys.nodes(), Keys.bytes(instance)))
        .then();
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }

  @Override
  public String toString() {
    return "RedisBus[" + nodeId + " " + spec.mode + " " + spec.uri + "]";
  }

  /** What the link asks of the bus. */
  private final class LinkCallbacks implements RedisLink.Callbacks {

    @Override
    public Mono<Void> beat(RedisReactiveCommands<byte[], byte[]> c) {
      Mono<Void> trim = Flux.fromIterable(publishedStreams)
          .flatMap(topic -> c.xtrim(keys.stream(topic), XTrimArgs.Builder
              .minId((System.currentTimeMillis() - spec.maxAge.toMillis()) + "-0")
              .approximateTrimming()), CONCURRENCY)
          .then();
      byte[] heartbeat = keys.heartbeat(instance);
      long ttl = spec.nodeTtl.toMillis();
      // Whether the heartbeat was still there: gone while the link is up, Redis forgot this node
      // (its keys expired in a long pause, or Redis lost its data without dropping the
      // connection) and others may have pruned it, so everything is said again.
      Mono<Boolean> forgotten = c.pexpire(heartbeat, ttl)
          .flatMap(kept -> kept ? Mono.just(false)
              : c.set(heartbeat, Keys.bytes("1"), SetArgs.Builder.px(ttl)).thenReturn(true));
      return forgotten
          .flatMap(again -> c.sadd(keys.nodes(), Keys.bytes(instance))
              .then(again && link.isUp() ? sayAgain(c) : Mono.empty()))
          .then(presence.refresh(c))
          .then(trim)
          .then(prune(c));
    }

    /**
     * Forgets nodes whose heartbeat is gone, so presence stops asking about them; the node that
     * removes one also removes its sessions from the directory, where nothing else would.
     */
    private Mono<Void> prune(RedisReactiveCommands<byte[], byte[]> c) {
      return c.smembers(keys.nodes())
          .filter(n -> !Keys.string(n).equals(instance))
          .concatMap(n -> c.exists(keys.heartbeat(Keys.string(n)))
              .filter(alive -> alive == 0)
              .flatMap(dead -> c.srem(keys.nodes(), n))
              .filter(removed -> removed > 0)
              .flatMap(removed -> forgetSessionsOf(c, n)))
          .then();
    }

    /**
     * Deletes the directory's entries owned by {@code dead}; each page's only while its
     * heartbeat is still absent, in one step, so a node that was merely paused and has come back
     * (and written its sessions again) keeps them.
     */
    private Mono<Void> forgetSessionsOf(RedisReactiveCommands<byte[], byte[]> c, byte[] dead) {
      byte[][] scriptKeys = {keys.sessions(), keys.heartbeat(Keys.string(dead))};
      return sweep(c, ScanCursor.INITIAL, (id, owner) -> Arrays.equals(owner, dead),
          ids -> c.<Long>eval(FORGET_IF_GONE, ScriptOutputType.INTEGER, scriptKeys,
              ids.toArray(byte[][]::new)).then());
    }

    /**
     * Deletes this node's entries for sessions it no longer holds: closed while Redis could not
     * be told. An entry is written only once its session is in the registry, so an entry read
     * from Redis whose session is not there when its page is read has closed.
     */
    private Mono<Void> forgetClosedSessions(RedisReactiveCommands<byte[], byte[]> c) {
      byte[] me = Keys.bytes(instance);
      return sweep(c, ScanCursor.INITIAL, (id, owner) -> {
        LocalNode local = node;
        return Arrays.equals(owner, me) && (local == null || !local.hasSession(Keys.string(id)));
      }, ids -> c.hdel(keys.sessions(), ids.toArray(byte[][]::new)).then());
    }

    /**
     * Walks the directory a page at a time and hands the entries {@code which} picks (id, owner)
     * to {@code forget}, a thousand at most at once (below Lua's limit on unpacked arguments).
     */
    private Mono<Void> sweep(RedisReactiveCommands<byte[], byte[]> c, ScanCursor cursor,
        BiPredicate<byte[], byte[]> which, Function<List<byte[]>, Mono<Void>> forget) {
      return c.hscan(keys.sessions(), cursor, ScanArgs.Builder.limit(1000))
          .flatMap(page -> {
            List<byte[]> picked = new ArrayList<>();
            page.getMap().forEach((id, owner) -> {
              if (which.test(id, owner)) {
                picked.add(id);
              }
            });
            Mono<Void> gone = Flux.range(0, (picked.size() + 999) / 1000)
                .concatMap(i -> forget.apply(
                    picked.subList(i * 1000, Math.min(picked.size(), i * 1000 + 1000))))
                .then();
            return page.isFinished() ? gone
                : gone.then(Mono.defer(() -> sweep(c, page, which, forget)));
          });
    }

    @Override
    public Mono<Void> resync(boolean again) {
      RedisReactiveCommands<byte[], byte[]> c = link.commands();
      StatefulRedisPubSubConnection<byte[], byte[]> p = link.pubsub();
      if (c == null || p == null) {
        return Mono.error(new IllegalStateException("not connected"));
      }
      List<byte[]> channels = new ArrayList<>();
      channels.add(keys.inbox(instance));
      if (spec.mode == DeliveryMode.PUB_SUB) {
        topics.names().forEach(t -> channels.add(keys.channel(t)));
      }
      // Streams: every topic subscribed so far is read from now on, before the bus says Up.
      Mono<Void> streams = reader == null ? Mono.empty() : reader.startAll(c);
      return p.reactive().subscribe(channels.toArray(byte[][]::new))
          .then(streams)
          .then(sayAgain(c))
          .then(Mono.fromRunnable(() -> {
            if (again && spec.mode == DeliveryMode.PUB_SUB) {
              topics.names().forEach(RedisBus.this::gap);
            }
          }));
    }

    /**
     * Writes this node's sessions into the directory and its rooms' sets, as memory holds them
     * when each command is sent (not when the resync began: a session closed meanwhile must not
     * come back), and takes out the entries of its sessions that closed meanwhile.
     */
    private Mono<Void> sayAgain(RedisReactiveCommands<byte[], byte[]> c) {
      Mono<Long> directory = Mono.defer(() -> {
        Map<byte[], byte[]> sessions = new HashMap<>();
        LocalNode local = node;
        if (local != null) {
          byte[] owner = Keys.bytes(instance);
          local.sessionIds().forEach(id -> sessions.put(Keys.bytes(id), owner));
        }
        return sessions.isEmpty() ? Mono.empty() : c.hset(keys.sessions(), sessions);
      });
      return directory.then(presence.resync(c)).then(Mono.defer(() -> {
        if (!unsaidCloses) {
          return Mono.empty();
        }
        unsaidCloses = false; // a close refused from here on is walked for by the next resync
        return forgetClosedSessions(c);
      }));
    }

    @Override
    public void up() {
      emitState(new ClusterEvent.Up(nodeId));
    }

    @Override
    public void down(String reason) {
      emitState(new ClusterEvent.Down(nodeId, reason));
    }
  }
}
