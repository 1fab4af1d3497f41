package ssi.process.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The decision a migrated process takes on each memory result while its source may hold pages. */
class SourceGateTest {

  @Test
  void aWrittenBackSourceNoLongerMatters() {
    assertEquals(SourceGate.USE, SourceGate.of(true, false, true));
    assertEquals(SourceGate.USE, SourceGate.of(true, true, false));
  }

  @Test
  void aReachableMemberServesTheNewestPages() {
    assertEquals(SourceGate.USE, SourceGate.of(false, true, false));
  }

  @Test
  void anUnreachableSourceIsWaitedFor() {
    // The directory serves its pages from the store only once it is removed: until then, hold.
    assertEquals(SourceGate.HOLD, SourceGate.of(false, true, true));
  }

  @Test
  void aDownOrRemovedSourceMeansTheMemoryIsLost() {
    assertEquals(SourceGate.LOST, SourceGate.of(false, false, false));
    assertEquals(SourceGate.LOST, SourceGate.of(false, false, true));
  }
}
