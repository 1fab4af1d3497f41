package ssi.bench.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cache suite's pure measurements work (no timing asserted): the pump drives the real cores
 * to completion and counts what CoherenceMsg documents, and the directory's records are counted.
 */
class ProtocolCountsTest {

  @Test
  void theCommonOperationsCostWhatTheProtocolSays() {
    assertEquals(2, ProtocolCounts.cleanMiss().messages());
    ProtocolPump.Cost dirty = ProtocolCounts.dirtyMiss();
    assertEquals(3, dirty.pathHops());
    assertEquals(Map.of("Read", 1L, "Fwd", 1L, "Data", 1L, "Flush", 1L),
        Map.copyOf(dirty.byType()));
    assertEquals(6, ProtocolCounts.writeTwoSharers().messages());
    assertEquals(0, ProtocolCounts.exclusiveToModified().messages());
  }

  @Test
  void theReadSharedWorkloadRunsInBothModes() {
    long mesi = ProtocolCounts.readShared(false).delivered();
    long mei = ProtocolCounts.readShared(true).delivered();
    assertTrue(mesi > 0 && mei > mesi, "MESI " + mesi + ", MEI " + mei);
  }

  @Test
  void randomGrantsAreCountedAsRecords() {
    DirectoryMemory.RandomGrants g = DirectoryMemory.randomGrants(1_000, 1 << 10, 1,
        Integer.MAX_VALUE);
    assertEquals(1_000, g.grants());
    assertEquals(g.distinctPages(), g.records());
  }

  @Test
  void randomGrantsStayWithinTheBound() {
    DirectoryMemory.RandomGrants g = DirectoryMemory.randomGrants(5_000, 1 << 12, 1, 64);
    assertEquals(5_000, g.grants());
    assertTrue(g.records() <= 64, "records " + g.records());
  }
}
