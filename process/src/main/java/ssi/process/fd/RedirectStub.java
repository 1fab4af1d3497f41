package ssi.process.fd;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.util.HashSet;
import java.util.Set;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.cluster.mesh.Mesh;
import ssi.process.ProcessSettings;

/**
 * What a driver that moved becomes on its old node (DESIGN §10 step 3): under the driver's port
 * name it answers every operation "moved to" the new node, until every party that may still
 * hold the old address has said it knows the new one ({@link FdOp.Informed}) — the process that
 * drove the move, and for a pipe end the other end, told by the new driver — or until nothing
 * reached it for {@code ssi.process.redirect-idle-timeout}. Then it withdraws the name (only if
 * it is still its own: the driver may have moved back) and lingers briefly for what was already
 * queued to it. A sender that later finds the name gone asks where the driver is now
 * ({@link FdDriver.Locator}), so a stub that stopped loses nothing. A tty's stub passes what
 * its terminal side sends (a user attached through this node) on to the new driver.
 */
final class RedirectStub extends AbstractBehavior<FdDriver.Command> {

  /** How a stub's port is named after the driver's: {@code fd:12:0 (moved)} in /ssi/ports. */
  static final String SUFFIX = " (moved)";

  private enum Idle implements FdDriver.Command, akka.actor.NoSerializationVerificationNeeded {
    INSTANCE
  }

  private static final String IDLE_TIMER = "redirect-idle";

  private final TimerScheduler<FdDriver.Command> timers;
  private final java.time.Duration idle;
  private final String name;
  private final Port<FdOp, FdResult> port;
  private final Reply<FdResult> moved;
  private final Set<String> waiting;
  /** The driver it moved to: a tty's terminal side (a user attached here) is passed on to it. */
  private final akka.actor.typed.ActorRef<FdDriver.Command> successor;

  static Behavior<FdDriver.Command> create(String name, String node, long gen,
      Set<String> waiting, akka.actor.typed.ActorRef<FdDriver.Command> successor) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new RedirectStub(ctx, t, name, node,
        gen, waiting, successor)));
  }

  private RedirectStub(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      String name, String node, long gen, Set<String> waiting,
      akka.actor.typed.ActorRef<FdDriver.Command> successor) {
    super(ctx);
    this.successor = successor;
    this.timers = timers;
    this.idle = ProcessSettings.from(ctx.getSystem().settings().config()).redirectIdleTimeout();
    this.name = name;
    this.moved = Reply.ok(FdResult.moved(node, gen));
    this.waiting = new HashSet<>(waiting);
    timers.cancel(FdDriver.QUIESCE_TIMER);
    // The same actor, under a port of its own name, so /ssi/ports shows it and it can withdraw
    // exactly this port later.
    this.port = Ports.get(ctx.getSystem()).register(Port.<FdOp, FdResult>builder(name + SUFFIX,
            PortKind.SERIALIZER).actor(ctx.getSelf(), FdDriver.Op::new).build());
    Port<?, ?> driverPort = Mesh.get(ctx.getSystem()).swap(name, port);
    if (driverPort != null && driverPort != port) {
      driverPort.close(); // the moved driver's own port: out of the registry (/ssi/ports)
    }
    timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, idle);
    if (this.waiting.isEmpty()) { // every party told it before the move ended
      ctx.getSelf().tell(Idle.INSTANCE);
    }
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessageEquals(Idle.INSTANCE, () -> stop("idle for " + idle))
        .onMessage(FdDriver.TtyOutput.class, o -> {
          if (successor != null) {
            successor.tell(o);
          } else {
            o.replyTo().tell(new FdDriver.TtyView("", o.from(), true));
          }
          return this;
        })
        .onMessage(FdDriver.TtyInput.class, i -> {
          if (successor != null) {
            successor.tell(i);
          } else {
            i.replyTo().tell(Reply.error(Errno.EBADF));
          }
          return this;
        })
        .onAnyMessage(m -> this) // a late Resume or quiesce deadline: the move is done
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    Msg<FdOp, FdResult> msg = op.msg();
    if (msg.body() instanceof FdOp.Informed i) {
      waiting.remove(i.party());
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
    } else {
      if (msg.body() instanceof FdOp.PeerAt p) { // the answer tells that peer where to go
        waiting.remove(p.port());
      }
      Lwkt.replymsg(msg, moved);
      timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, idle);
    }
    return waiting.isEmpty() ? stop("every party knows") : this;
  }

  private Behavior<FdDriver.Command> stop(String why) {
    getContext().getLog().debug("redirect for {} stops: {}", name, why);
    Mesh.get(getContext().getSystem()).unpublish(name, port);
    port.close();
    return FdDriver.linger(moved, successor);
  }
}
