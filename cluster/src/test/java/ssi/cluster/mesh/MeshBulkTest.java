package ssi.cluster.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/**
 * The bulk channel, and a transfer whose data path differs from its request path: the requester
 * asks node B, B asks node C, and C sends the data straight to the requester's inbox port.
 */
@ExtendWith(LogCapture.class)
class MeshBulkTest {

  private static List<ActorTestKit> kits;

  @BeforeAll
  static void startCluster() {
    kits = MeshTestCluster.start("MeshBulkTest", 3);
  }

  @AfterAll
  static void stopCluster() {
    MeshTestCluster.stop(kits);
  }

  @Test
  void dataGoesFromAThirdNodeStraightToTheRequesterOnTheBulkChannel() throws Exception {
    ActorTestKit requester = kits.get(0);
    ActorTestKit relay = kits.get(1);
    ActorTestKit source = kits.get(2);
    byte[] data = new byte[64 * 1024];
    new Random(7).nextBytes(data);
    CompletableFuture<BulkData> inbox = new CompletableFuture<>();

    Mesh.get(requester.system()).publish("t.inbox", Port.<Object, Object>builder("t.inbox",
        PortKind.SERIALIZER).sink(msg -> {
          if (msg.begin()) {
            inbox.complete((BulkData) msg.body());
            MeshLink.end(msg, Reply.ok("stored"));
          }
        }).build());
    // C: on "send <transfer> to <node>", sends the bytes to that node's inbox itself.
    Mesh.get(source.system()).publish("t.source", Port.<Object, Object>builder("t.source",
        PortKind.SERIALIZER).sink(msg -> {
          if (!msg.begin()) {
            return;
          }
          String[] order = ((String) msg.body()).split(" ");
          Address to = AddressFromURIString.parse(order[3]);
          Port<Object, Object> target = Mesh.get(source.system()).proxy(to, "t.inbox");
          Lwkt.domsg(target, Msg.of(new BulkData(Long.parseLong(order[1]), data)))
              .thenAccept(r -> MeshLink.end(msg, r));
        }).build());
    // B: relays the order to C and answers with C's answer.
    Mesh.get(relay.system()).publish("t.relay", Port.<Object, Object>builder("t.relay",
        PortKind.SERIALIZER).sink(msg -> {
          if (msg.begin()) {
            Port<Object, Object> c = Mesh.get(relay.system())
                .proxy(MeshTestCluster.address(source), "t.source");
            Lwkt.domsg(c, Msg.of(msg.body())).thenAccept(r -> MeshLink.end(msg, r));
          }
        }).build());

    Port<Object, Object> b = Mesh.get(requester.system())
        .proxy(MeshTestCluster.address(relay), "t.relay");
    Reply<Object> r = Lwkt.domsg(b, Msg.of("send 77 to " + MeshTestCluster.address(requester)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(Errno.OK, r.errno());
    BulkData arrived = inbox.get(10, TimeUnit.SECONDS);
    assertEquals(77L, arrived.transferId());
    assertArrayEquals(data, arrived.data());
    long bulkFromSource = Mesh.get(source.system()).links().stream()
        .filter(l -> l.node().equals(MeshTestCluster.address(requester).toString()))
        .mapToLong(LinkStats::bulkBytes).sum();
    assertTrue(bulkFromSource >= data.length, "C sent the data on the bulk channel");
    assertEquals(0, Mesh.get(relay.system()).links().stream().mapToLong(LinkStats::bulkBytes).sum(),
        "B only relayed the small request");
    assertTrue(Mesh.get(requester.system()).inbound().stream()
        .anyMatch(s -> s.channel().equals("bulk") && s.processed() == 1),
        "the requester's bulk endpoint took the transfer");
  }
}
