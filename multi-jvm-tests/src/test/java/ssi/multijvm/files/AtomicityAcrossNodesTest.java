package ssi.multijvm.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.multijvm.files.FileHttp.RECORD;
import static ssi.multijvm.files.FileHttp.id;
import static ssi.multijvm.files.FileHttp.record;
import static ssi.multijvm.files.FileHttp.whole;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * UNIX atomicity across three node JVMs (DESIGN §8, §12 invariant 3): a writer per node
 * rewrites 64 KiB records (each with a sequence number and a checksum) at random record-aligned
 * offsets of one file while a reader per node reads random records: every read is one whole
 * record. Then an appender per node appends records to another file at once: the file holds
 * exactly the records appended, none torn, none lost, none twice, read the same on every node.
 */
@ExtendWith(MultiJvm.class)
class AtomicityAcrossNodesTest {

  private static final int SLOTS = 2;
  private static final int WRITES_PER_NODE = 25;
  private static final int APPENDS_PER_NODE = 10;

  private final FileHttp http = new FileHttp();

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void readsNeverSeePartOfAWriteAndAppendsNeverInterleave(TestCluster cluster) throws Exception {
    cluster.start(3);
    List<NodeProcess> nodes = cluster.nodes();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      rewritesUnderReaders(nodes, pool);
      appendsFromEveryNode(nodes, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  private void rewritesUnderReaders(List<NodeProcess> nodes, ExecutorService pool)
      throws Exception {
    String file = "/ssi/files/atomic/records";
    for (int slot = 0; slot < SLOTS; slot++) {
      http.ok(nodes.get(0), "PUT", file + "?offset=" + (long) slot * RECORD, record(9, slot));
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (NodeProcess n : nodes) {
      readers.add(CompletableFuture.runAsync(() -> {
        try {
          int mine = 0;
          while (writing.get() || mine < 5) {
            int slot = ThreadLocalRandom.current().nextInt(SLOTS);
            byte[] got = http.ok(n, "GET", file + "?offset=" + (long) slot * RECORD
                + "&length=" + RECORD, null);
            if (got.length != RECORD || !whole(got, 0)) {
              problems.add(n.name() + " read a torn record in slot " + slot + " ("
                  + got.length + " bytes, header " + id(got, 0) + ")");
            }
            mine++;
            reads.incrementAndGet();
          }
        } catch (Exception e) {
          problems.add(n.name() + " reader: " + e);
        }
      }, pool));
    }
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < nodes.size(); w++) {
      NodeProcess n = nodes.get(w);
      long writer = w + 1;
      writers.add(CompletableFuture.runAsync(() -> {
        try {
          for (long seq = 1; seq <= WRITES_PER_NODE; seq++) {
            int slot = ThreadLocalRandom.current().nextInt(SLOTS);
            http.ok(n, "PUT", file + "?offset=" + (long) slot * RECORD, record(writer, seq));
          }
        } catch (Exception e) {
          problems.add(n.name() + " writer: " + e);
        }
      }, pool));
    }
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    writing.set(false);
    CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
    assertEquals(List.of(), problems);
    assertTrue(reads.get() >= 15, "reads: " + reads.get());
    System.out.println("rewrites: " + nodes.size() * WRITES_PER_NODE + ", whole reads: " + reads.get());
    for (NodeProcess n : nodes) {
      byte[] all = http.ok(n, "GET", file, null);
      assertEquals(SLOTS * RECORD, all.length);
      for (int slot = 0; slot < SLOTS; slot++) {
        assertTrue(whole(all, slot * RECORD), n.name() + " slot " + slot);
      }
    }
  }

  private void appendsFromEveryNode(List<NodeProcess> nodes, ExecutorService pool)
      throws Exception {
    String file = "/ssi/files/atomic/log";
    http.ok(nodes.get(0), "PUT", file, new byte[0]);
    List<String> problems = new CopyOnWriteArrayList<>();
    Set<Long> offsets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> appenders = new ArrayList<>();
    for (int w = 0; w < nodes.size(); w++) {
      NodeProcess n = nodes.get(w);
      long writer = w + 1;
      appenders.add(CompletableFuture.runAsync(() -> {
        try {
          for (long seq = 1; seq <= APPENDS_PER_NODE; seq++) {
            byte[] answer = http.ok(n, "PUT", file + "?append=true", record(writer, seq));
            long at = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer)
                .path("offset").asLong();
            if (at % RECORD != 0 || !offsets.add(at)) {
              problems.add(n.name() + " appended at " + at);
            }
          }
        } catch (Exception e) {
          problems.add(n.name() + " appender: " + e);
        }
      }, pool));
    }
    CompletableFuture.allOf(appenders.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    assertEquals(List.of(), problems);

    Set<String> expected = new HashSet<>();
    for (int w = 1; w <= nodes.size(); w++) {
      for (int seq = 1; seq <= APPENDS_PER_NODE; seq++) {
        expected.add(w + "/" + seq);
      }
    }
    byte[] first = null;
    for (NodeProcess n : nodes) {
      byte[] all = http.ok(n, "GET", file, null);
      assertEquals(expected.size() * RECORD, all.length, n.name() + " length");
      Set<String> seen = new HashSet<>();
      for (int off = 0; off < all.length; off += RECORD) {
        assertTrue(whole(all, off), n.name() + " torn record at " + off);
        assertTrue(seen.add(id(all, off)), n.name() + " record twice: " + id(all, off));
      }
      assertEquals(expected, seen, n.name());
      if (first == null) {
        first = all;
      } else {
        assertTrue(java.util.Arrays.equals(first, all), n.name() + " reads other bytes");
      }
    }
  }
}
