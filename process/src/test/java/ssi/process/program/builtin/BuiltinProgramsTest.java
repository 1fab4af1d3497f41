package ssi.process.program.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.process.core.ProcessImage;
import ssi.process.program.Program;
import ssi.process.program.Programs;
import ssi.process.program.SysResult;
import ssi.testing.LogCapture;

/**
 * The built-in programs, run by a deterministic {@link Machine}; each also runs with its state
 * serialized by the project's Kryo serializer (inside a {@link ProcessImage}, as a migration
 * sends it) and resumed from the copy after every single step — the output must not change.
 */
@ExtendWith(LogCapture.class)
class BuiltinProgramsTest {

  private static final ActorTestKit KIT = ActorTestKit.create("BuiltinProgramsTest");
  private static final Serialization SERIALIZATION =
      SerializationExtension.get(Adapter.toClassic(KIT.system()));

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** The program after a trip through Kryo inside a process image, as on a migration. */
  private static Program migrate(Program p) {
    ProcessImage image = new ProcessImage(7, "x", List.of(), Map.of(), p, SysResult.START, null,
        0, List.of(1L), List.of(), 0, 1, 0, "m-1", "akka://ssi@127.0.0.1:1", null, null);
    Serializer s = SERIALIZATION.findSerializerFor(image);
    ProcessImage back = (ProcessImage) SERIALIZATION.deserialize(s.toBinary(image),
        s.identifier(), "").get();
    assertNotSame(p, back.program());
    return back.program();
  }

  private static Program make(String name, String... args) {
    return Programs.byName(name).create(List.of(args), Map.of());
  }

  @Test
  void theBuiltInsAreFoundByName() {
    assertEquals(List.of("cat", "counter", "echo-server", "memtest", "shm", "wc", "yes"),
        Programs.names().stream().filter(n -> !n.startsWith("test-")).toList(),
        "the built-ins (the test classpath adds test-* programs)");
  }

  @Test
  void counterAppendsNumberedLinesKeepingItsCountInMemory() {
    Machine m = new Machine();
    assertEquals(0, m.run(make("counter", "/c.log", "25", "10")));
    assertEquals(ProcessTestText.numbered(25), m.file("/c.log"));
    assertEquals(250, m.sleptMillis);
    assertEquals((byte) 25, m.memory.get(7L), "the count lives in memory (big-endian long at 0)");

    Machine migrated = new Machine();
    assertEquals(0, migrated.run(make("counter", "/c.log", "25", "10"),
        BuiltinProgramsTest::migrate));
    assertEquals(m.file("/c.log"), migrated.file("/c.log"), "resumed after every step");
  }

  @Test
  void counterContinuesFromWhatMemorySays() {
    Machine m = new Machine();
    m.memory.put(7L, (byte) 20); // the count another node left in the address space
    assertEquals(0, m.run(make("counter", "23", "0")));
    assertEquals("21\n22\n23\n", m.out());
  }

  @Test
  void yesWritesNumberedLinesInBatches() {
    Machine m = new Machine();
    assertEquals(0, m.run(make("yes", "100", "5", "30"), BuiltinProgramsTest::migrate));
    assertEquals(ProcessTestText.numbered(100), m.out());
    assertEquals(3 * 5, m.sleptMillis, "a sleep between batches, none after the last");
  }

  @Test
  void catCopiesInputToOutputUntilEndOfFile() {
    Machine m = new Machine().input("a\nb", "c\n", "");
    assertEquals(0, m.run(make("cat"), BuiltinProgramsTest::migrate));
    assertEquals("a\nbc\n", m.out());
  }

  @Test
  void wcCountsLinesWordsAndBytes() {
    Machine m = new Machine().input("one two\n", "three\n\n four");
    assertEquals(0, m.run(make("wc"), BuiltinProgramsTest::migrate));
    assertEquals("3 4 20\n", m.out());
  }

  @Test
  void memtestVerifiesEveryByteAndCatchesACorruptOne() {
    Machine good = new Machine();
    assertEquals(0, good.run(make("memtest", "4", "1", "9"), BuiltinProgramsTest::migrate));
    assertEquals("memtest ok 4 pages\n", good.out());

    Machine bad = new Machine();
    bad.corruptOffset = 2 * 4096 + 17;
    assertEquals(1, bad.run(make("memtest", "4", "0", "9")));
    assertTrue(bad.out().contains("page 2 byte 17 differs"), bad.out());
  }

  @Test
  void shmWaitSeesWhatShmWriteStoredInTheMappedFile() {
    Machine m = new Machine();
    assertEquals(1, m.run(make("shm", "wait", "/s", "hi", "10", "3")), "nothing there yet");
    assertEquals(20, m.sleptMillis, "two sleeps between three reads");
    assertEquals(0, m.run(make("shm", "write", "/s", "hi"), BuiltinProgramsTest::migrate));
    assertEquals(0, m.run(make("shm", "wait", "/s", "hi"), BuiltinProgramsTest::migrate));
    assertEquals("hi\n", m.out());
    assertTrue(m.memory.isEmpty(), "the mapping, not the process's own memory");
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> make("counter", "/x", "ten"));
    assertTrue(e.getMessage().contains("COUNT must be a number"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> make("memtest", "0"));
    assertThrows(IllegalArgumentException.class, () -> make("wc", "extra"));
    assertThrows(IllegalArgumentException.class, () -> make("yes", "-1"));
    assertThrows(IllegalArgumentException.class, () -> make("shm", "read", "/s", "x"));
    assertThrows(IllegalArgumentException.class, () -> make("shm", "write", "rel", "x"));
  }
}
