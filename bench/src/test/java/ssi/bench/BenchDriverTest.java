package ssi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchDriverTest {

  @TempDir
  Path results;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static Suite suite(String name, List<Goal> goals) {
    return new Suite() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Goal> run(boolean quick) {
        return goals;
      }
    };
  }

  private static Suite failing(String name) {
    return new Suite() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Goal> run(boolean quick) throws Exception {
        throw new Exception("boom");
      }
    };
  }

  private int run(Map<String, Suite> suites, String... args) {
    BenchDriver driver = new BenchDriver(new TreeMap<>(suites), results,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return driver.run(List.of(args));
  }

  @Test
  void writesExactlyTheGoalLinesAndExitsZeroEvenOnAMiss() throws Exception {
    Suite s = suite("serialization", List.of(new Goal("a", 0.7, "<=", 0.6),
        new Goal("b", 2, ">=", 1.5)));
    assertEquals(0, run(Map.of("serialization", s), "serialization", "--quick"));
    assertEquals(List.of("GOAL a 0.7 <= 0.6 MISS", "GOAL b 2 >= 1.5 PASS"),
        Files.readAllLines(results.resolve("serialization.txt")));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("GOAL a 0.7 <= 0.6 MISS"));
  }

  @Test
  void unknownSuiteListsTheKnownOnesAndExitsTwo() {
    assertEquals(2, run(Map.of(), "nosuch"));
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("unknown suite 'nosuch'"), message);
    assertTrue(message.contains("serialization"), message);
  }

  @Test
  void aDesignSuiteNotYetWrittenSaysSoAndExitsTwo() {
    assertEquals(2, run(Map.of(), "mesh"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not implemented yet"));
  }

  @Test
  void aFailingSuiteExitsTwoAndWritesNothing() {
    assertEquals(2, run(Map.of("cache", failing("cache")), "cache"));
    assertFalse(Files.exists(results.resolve("cache.txt")));
  }

  @Test
  void allRunsEveryImplementedSuiteIntoItsOwnFile() {
    Map<String, Suite> suites = Map.of(
        "lwkt", suite("lwkt", List.of(new Goal("x", 25, ">=", 20))),
        "serialization", suite("serialization", List.of(new Goal("y", 0.5, "<=", 0.6))));
    assertEquals(0, run(suites, "all"));
    assertTrue(Files.exists(results.resolve("lwkt.txt")));
    assertTrue(Files.exists(results.resolve("serialization.txt")));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("mesh: not implemented yet"));
  }

  @Test
  void allExitsTwoWhenOneSuiteFails() {
    Map<String, Suite> suites = Map.of(
        "lwkt", failing("lwkt"),
        "serialization", suite("serialization", List.of(new Goal("y", 0.5, "<=", 0.6))));
    assertEquals(2, run(suites, "all"));
    assertTrue(Files.exists(results.resolve("serialization.txt")));
  }

  @Test
  void aBadCommandLineExitsTwo() {
    assertEquals(2, run(Map.of()));
    assertEquals(2, run(Map.of(), "a", "b"));
    assertEquals(2, run(Map.of(), "serialization", "--fast"));
  }

  @Test
  void theServiceFileListsTheSerializationSuite() {
    assertTrue(BenchDriver.loadSuites(new PrintStream(err, true, StandardCharsets.UTF_8))
        .containsKey("serialization"));
  }
}
