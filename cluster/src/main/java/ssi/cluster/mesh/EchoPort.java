package ssi.cluster.mesh;

import akka.actor.typed.ActorSystem;
import java.time.Duration;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Reply;

/**
 * The diagnostic port {@code mesh.echo}: answers an {@link Echo} with its payload, inline when
 * it holds for 0 ms, else from a timer (never blocking a thread while it holds).
 */
final class EchoPort {

  /** The name every node publishes it under. */
  static final String NAME = "mesh.echo";

  private EchoPort() {
  }

  static Port<Object, Object> create(ActorSystem<?> system) {
    return Port.<Object, Object>builder(NAME, PortKind.SERIALIZER)
        .agent(msg -> msg.body() instanceof Echo e && e.holdMillis() <= 0
            ? Reply.ok(e.payload()) : null)
        .sink(msg -> {
          if (!msg.begin()) {
            return;
          }
          if (!(msg.body() instanceof Echo e)) {
            MeshLink.end(msg, Reply.error(Errno.EINVAL));
            return;
          }
          system.scheduler().scheduleOnce(Duration.ofMillis(e.holdMillis()),
              () -> MeshLink.end(msg, Reply.ok(e.payload())), system.executionContext());
        })
        .build();
  }
}
