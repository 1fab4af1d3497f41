package ssi.process.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.bgl.Domains;
import ssi.actors.bgl.SubsystemStats;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/**
 * The socket table on one node without a cluster: its I/O runs in the {@code net} subsystem's
 * domain (removed from the BGL), it never blocks, and its channels close when the node stops.
 */
@ExtendWith(LogCapture.class)
class SocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ActorTestKit kit = ActorTestKit.create("SocketsTest",
      ConfigFactory.parseString("""
          akka.actor.provider = local
          ssi.cpus = 2
          """).withFallback(ConfigFactory.load()));
  private static Socket client;

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    kit.shutdownTestKit();
  }

  private static <T> T ok(CompletionStage<Reply<T>> stage) throws Exception {
    Reply<T> r = stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Errno.OK, r.errno(), "reply " + r);
    return r.value();
  }

  @Test
  void ioRunsOnTheNetProtocolThreadsNeverWaitsAndStopsWithTheNode() throws Exception {
    Sockets sockets = Sockets.get(kit.system());
    Sockets.Bound bound = ok(sockets.listen(0));
    int port = Integer.parseInt(bound.address().substring(bound.address().lastIndexOf(':') + 1));
    assertTrue(bound.address().startsWith("127.0.0.1:"), bound.address());
    assertEquals(-1, ok(sockets.accept(bound.channel())).channel(), "nothing pending: no wait");

    client = new Socket("127.0.0.1", port);
    Sockets.Connection conn = kit.createTestProbe().awaitAssert(WAIT, () -> {
      Sockets.Connection c = ok(sockets.accept(bound.channel()));
      assertTrue(c.channel() >= 0, "not accepted yet");
      return c;
    });
    assertEquals(0, ok(sockets.read(conn.channel(), 16)).length, "nothing sent: no wait");
    assertEquals(Errno.EBUSY, sockets.listen(port).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).errno(), "the port is taken");

    SubsystemStats net = Domains.get(kit.system()).stats().stream()
        .filter(s -> s.name().equals(Sockets.NET)).findFirst().orElseThrow();
    assertTrue(!net.covered() && net.domains().size() == 2 && net.ops() >= 4,
        "net runs outside the BGL on one protocol thread per CPU: " + net);

    kit.system().terminate();
    kit.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(),
        TimeUnit.SECONDS);
    assertEquals(0, sockets.openCount());
    client.setSoTimeout((int) WAIT.toMillis());
    assertEquals(-1, client.getInputStream().read(), "the connection was closed");
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }
}
