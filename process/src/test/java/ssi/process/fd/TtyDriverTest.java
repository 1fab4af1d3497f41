package ssi.process.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import ssi.cluster.testing.ClusterTestKits;
import ssi.process.ProcessSettings;
import ssi.testing.LogCapture;

/**
 * The tty's line discipline, one driver per test on a one-node cluster (a move redirects its
 * port on the mesh): canonical mode, echo, erase, ^D, ^C (the line discarded and the owning
 * process told at once), and what the terminal side types while the driver moves. Reads are
 * held for a minute ({@code block-poll}), so "nothing yet" is a read still unanswered after the
 * driver has answered later input — no sleeps.
 */
@ExtendWith(LogCapture.class)
class TtyDriverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicLong ids = new AtomicLong();
  private static List<ActorTestKit> kits;
  private static ActorTestKit kit;
  private static ProcessSettings settings;

  @BeforeAll
  static void start() {
    kits = ClusterTestKits.start("TtyDriverTest", 1, "ssi.process.block-poll = 1m");
    kit = kits.get(0);
    settings = ProcessSettings.from(kit.system().settings().config());
  }

  @AfterAll
  static void stop() {
    ClusterTestKits.stop(kits);
  }

  /** One terminal: its driver, its port, the process it interrupts. */
  private static final class Tty {
    final TestProbe<FdDriver.Interrupt> owner = kit.createTestProbe();
    final ActorRef<FdDriver.Command> driver;
    final Port<FdOp, FdResult> port;

    Tty() {
      this(TtyDriver.fresh("fd:tty-test:" + ids.incrementAndGet()));
    }

    Tty(DriverState.Tty state) {
      driver = kit.spawn(TtyDriver.create(state, settings, owner.ref()));
      port = Port.<FdOp, FdResult>builder(state.port(), PortKind.SERIALIZER)
          .actor(driver, FdDriver.Op::new).build();
    }

    CompletableFuture<Reply<FdResult>> read() {
      return Lwkt.domsg(port, Msg.<FdOp, FdResult>of(new FdOp.Read(1024)))
          .toCompletableFuture();
    }

    Reply<FdResult> write(String text) throws Exception {
      return Lwkt.domsg(port, Msg.<FdOp, FdResult>of(new FdOp.Write(bytes(text))))
          .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Types {@code text}; returns once the driver took it (and so all that came before). */
    void type(String text) {
      TestProbe<Reply<Integer>> taken = kit.createTestProbe();
      driver.tell(new FdDriver.TtyInput(bytes(text), taken.ref()));
      assertEquals(Reply.ok(bytes(text).length), taken.receiveMessage(WAIT));
    }

    String screen() {
      TestProbe<FdDriver.TtyView> view = kit.createTestProbe();
      driver.tell(new FdDriver.TtyOutput(0, view.ref()));
      return view.receiveMessage(WAIT).output();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String data(CompletableFuture<Reply<FdResult>> read) throws Exception {
    Reply<FdResult> r = read.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "read " + r);
    assertFalse(r.value().eof(), "not end of file: " + r);
    return new String(r.value().data(), StandardCharsets.UTF_8);
  }

  private static void assertEndOfFile(CompletableFuture<Reply<FdResult>> read) throws Exception {
    Reply<FdResult> r = read.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk() && r.value().eof(), "end of file, got " + r);
    assertEquals(0, r.value().data().length);
  }

  @Test
  void aReadGetsNothingUntilNewlineThenTheWholeLineAndTypedBytesAreEchoed() throws Exception {
    Tty tty = new Tty();
    CompletableFuture<Reply<FdResult>> read = tty.read();
    tty.type("hel");
    tty.type("lo");
    assertFalse(read.isDone(), "canonical mode: no line yet, got " + read.getNow(null));
    assertEquals("hello", tty.screen(), "echo as typed");
    tty.type("\n");
    assertEquals("hello\n", data(read));
    assertEquals("hello\n", tty.screen());
    assertEquals(4, tty.write("out\n").value().value());
    assertEquals("hello\nout\n", tty.screen(), "what the process writes follows the echo");
    tty.owner.expectNoMessage(Duration.ZERO);
  }

  @Test
  void carriageReturnEndsALineAsNewlineDoes() throws Exception {
    Tty tty = new Tty();
    tty.type("raw\r");
    assertEquals("raw\n", data(tty.read()));
    assertEquals("raw\n", tty.screen());
  }

  @Test
  void backspaceAndDeleteEraseTheLastCharacterOfTheLine() throws Exception {
    Tty tty = new Tty();
    CompletableFuture<Reply<FdResult>> read = tty.read();
    tty.type("\b"); // nothing to erase: nothing echoed
    tty.type("cax\b");
    tty.type("\u007fat\n");
    assertEquals("cat\n", data(read));
    assertEquals("cax\b \b\b \bat\n", tty.screen());
  }

  @Test
  void ctrlDOnAnEmptyLineIsEndOfFileAndMidLineHandsOverThePartialLine() throws Exception {
    Tty tty = new Tty();
    CompletableFuture<Reply<FdResult>> first = tty.read();
    tty.type("part");
    assertFalse(first.isDone());
    tty.type("\u0004");
    assertEquals("part", data(first), "^D mid-line: the line so far, no newline");
    CompletableFuture<Reply<FdResult>> second = tty.read();
    tty.type("\u0004"); // now on an empty line
    assertEndOfFile(second);
    assertEquals("part", tty.screen(), "^D is not echoed");
  }

  @Test
  void ctrlCDiscardsTheLineAndTheUnreadInputAndInterruptsTheOwnerAtOnce() throws Exception {
    Tty tty = new Tty();
    tty.type("kept?\n"); // complete but not read: flushed too
    tty.type("junk");
    tty.type("\u0003");
    assertEquals(FdDriver.Interrupt.INSTANCE, tty.owner.receiveMessage(WAIT),
        "the process is told although it is not reading its tty");
    assertEquals("kept?\njunk^C\n", tty.screen());
    tty.type("ok\n");
    assertEquals("ok\n", data(tty.read()), "nothing typed before ^C is read");
    tty.owner.expectNoMessage(Duration.ZERO);
  }

  @Test
  void ctrlCWithAReadWaitingLeavesTheReadToTheProcess() throws Exception {
    Tty tty = new Tty();
    CompletableFuture<Reply<FdResult>> read = tty.read();
    tty.type("x\u0003");
    assertEquals(FdDriver.Interrupt.INSTANCE, tty.owner.receiveMessage(WAIT));
    assertFalse(read.isDone(), "the signal ends the process; the read is not answered data");
    tty.driver.tell(new FdDriver.Release()); // the process ended: its descriptors are released
    assertEquals(Errno.EBADF, read.get(WAIT.toSeconds(), TimeUnit.SECONDS).errno());
  }

  @Test
  void whatIsTypedWhileTheDriverMovesReachesTheNewDriverAndInterruptsItsOwner()
      throws Exception {
    Tty old = new Tty();
    old.type("half");
    TestProbe<FdDriver.Quiesced> quiesced = kit.createTestProbe();
    old.driver.tell(new FdDriver.Quiesce(quiesced.ref()));
    DriverState.Tty state = (DriverState.Tty) quiesced.receiveMessage(WAIT).state();
    assertEquals("half", state.editing());

    TestProbe<Reply<Integer>> taken = kit.createTestProbe();
    old.driver.tell(new FdDriver.TtyInput(bytes("\u0003again"), taken.ref()));
    assertEquals("half", old.screen(), "held, not taken: the state was handed over");
    taken.expectNoMessage(Duration.ZERO); // its answer would have come before the screen's
    old.owner.expectNoMessage(Duration.ZERO);

    Tty moved = new Tty(state);
    old.driver.tell(new FdDriver.MovedTo("here", moved.driver));
    assertEquals(Reply.ok(6), taken.receiveMessage(WAIT), "taken by the new driver");
    assertEquals(FdDriver.Interrupt.INSTANCE, moved.owner.receiveMessage(WAIT),
        "the process that owns the tty now is interrupted");
    old.owner.expectNoMessage(Duration.ZERO);
    old.type("\n"); // through the old driver's linger: still reaches the terminal
    assertEquals("again\n", data(moved.read()));
    assertEquals("half^C\nagain\n", old.screen());
  }
}
