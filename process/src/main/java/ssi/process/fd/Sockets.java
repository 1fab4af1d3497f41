package ssi.process.fd;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.bgl.Domains;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cluster.node.NodeSettings;

/**
 * This node's open TCP channels (an Akka extension) and the only code that touches them. Every
 * operation is a <em>non-blocking</em> NIO call run in the {@code net} subsystem's domain
 * ({@link Domains#call}) — removed from the BGL, one protocol thread per CPU — keyed by the
 * channel, so each channel always runs on the same protocol thread (connections hashed to a
 * thread) and is never touched by two threads at once.
 *
 * <p><b>Why no Selector.</b> The protocol threads are LWKT threads on the CPU dispatchers; none
 * may block, so none can sit in {@code Selector.select()}. An operation therefore never waits:
 * {@link #accept} answers {@code -1} when no connection is pending and {@link #read} an empty
 * array when no byte has arrived, and the driver asks again every {@code ssi.process.socket-poll}
 * until its {@code ssi.process.block-poll} runs out (then EAGAIN, like a pipe). That costs at
 * most one poll interval of latency and one tiny operation per interval per <em>blocked</em>
 * socket; a selector thread that only waits and wakes drivers on readiness is the upgrade if
 * many idle sockets ever matter.
 *
 * <p>Channels are closed when their driver is released or stops, and all that are left when the
 * node shuts down (coordinated shutdown, before the actor system terminates).
 */
public final class Sockets implements Extension {

  /** The subsystem whose protocol threads run socket I/O. */
  public static final String NET = "net";

  private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
  private static final Id ID = new Id();

  /** A listening socket just bound: its channel id and the address it is bound to. */
  public record Bound(long channel, String address) {
  }

  /** A connection just accepted: its channel id and "local <- peer" for display. */
  record Connection(long channel, String detail) {
  }

  private final Domains domains;
  private final String host;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, NetworkChannel> open = new ConcurrentHashMap<>();

  private Sockets(ActorSystem<?> system) {
    this.domains = Domains.get(system);
    domains.register(NET);
    this.host = NodeSettings.from(system.settings().config()).host();
    // Closing a channel does not wait (no SO_LINGER), so it may run on the shutdown's thread;
    // the protocol threads stop with the actor system and cannot be relied on to do it.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-sockets", () -> {
          closeAll();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** This node's socket table. */
  public static Sockets get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Binds a listening socket on {@code ssi.node.host} at {@code port} (0: any free port). */
  public CompletionStage<Reply<Bound>> listen(int port) {
    if (port < 0 || port > 65535) {
      return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
    }
    long id = ids.incrementAndGet();
    return net(id, () -> {
      ServerSocketChannel ch = null;
      try {
        ch = ServerSocketChannel.open();
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(host, port));
        open.put(id, ch);
        return Reply.ok(new Bound(id, address((InetSocketAddress) ch.getLocalAddress())));
      } catch (IOException e) {
        closeQuietly(ch);
        LOG.info("cannot listen on {}:{}: {}", host, port, e.toString());
        return Reply.error(Errno.EBUSY);
      }
    });
  }

  /** A pending connection of listening socket {@code id}, or channel -1 when there is none. */
  CompletionStage<Reply<Connection>> accept(long id) {
    return net(id, () -> {
      if (!(open.get(id) instanceof ServerSocketChannel server)) {
        return Reply.error(Errno.EBADF);
      }
      try {
        SocketChannel ch = server.accept();
        if (ch == null) {
          return Reply.ok(new Connection(-1, null));
        }
        ch.configureBlocking(false);
        long conn = ids.incrementAndGet();
        open.put(conn, ch);
        return Reply.ok(new Connection(conn, "tcp "
            + address((InetSocketAddress) ch.getLocalAddress()) + " <- "
            + address((InetSocketAddress) ch.getRemoteAddress())));
      } catch (IOException e) {
        return Reply.error(Errno.EIO);
      }
    });
  }

  /**
   * Up to {@code max} bytes that connection {@code id} has received: an empty array when none
   * has arrived yet, null at end of stream (the peer closed).
   */
  CompletionStage<Reply<byte[]>> read(long id, int max) {
    return net(id, () -> {
      if (!(open.get(id) instanceof SocketChannel ch)) {
        return Reply.error(Errno.EBADF);
      }
      ByteBuffer buf = ByteBuffer.allocate(max);
      try {
        int n = ch.read(buf);
        return Reply.ok(n < 0 ? null : Arrays.copyOf(buf.array(), n));
      } catch (IOException e) {
        return Reply.ok(null); // reset by the peer: the stream has ended all the same
      }
    });
  }

  /** Writes what connection {@code id} takes of {@code data} now; answers how many bytes. */
  CompletionStage<Reply<Integer>> write(long id, ByteBuffer data) {
    return net(id, () -> {
      if (!(open.get(id) instanceof SocketChannel ch)) {
        return Reply.error(Errno.EBADF);
      }
      try {
        return Reply.ok(ch.write(data));
      } catch (IOException e) {
        return Reply.error(Errno.EPIPE); // the peer is gone
      }
    });
  }

  /** Closes channel {@code id} (idempotent). */
  CompletionStage<Reply<Boolean>> close(long id) {
    return net(id, () -> Reply.ok(closeQuietly(open.remove(id))));
  }

  /** The channels open now (for tests and diagnostics). */
  public int openCount() {
    return open.size();
  }

  private <T> CompletionStage<Reply<T>> net(long id, Supplier<Reply<T>> op) {
    return domains.call(NET, "socket-" + id, op)
        .thenApply(r -> r.isOk() ? r.value() : Reply.<T>error(r.errno()));
  }

  private void closeAll() {
    List.copyOf(open.keySet()).forEach(id -> closeQuietly(open.remove(id)));
  }

  private static boolean closeQuietly(NetworkChannel ch) {
    if (ch == null) {
      return false;
    }
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("closing a socket failed", e);
    }
    return true;
  }

  private static String address(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static final class Id extends ExtensionId<Sockets> {
    @Override
    public Sockets createExtension(ActorSystem<?> system) {
      return new Sockets(system);
    }
  }
}
