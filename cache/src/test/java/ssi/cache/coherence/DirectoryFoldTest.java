package ssi.cache.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import ssi.cache.coherence.CoherenceMsg.Grant;
import ssi.cache.coherence.CoherenceMsg.Inval;
import ssi.cache.coherence.CoherenceMsg.InvalAck;
import ssi.cache.coherence.CoherenceMsg.Read;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.CoherenceMsg.Write;

/**
 * The bound on a directory's records ({@code ssi.cache.max-records-per-object}): idle page
 * records fold into ranges, the records never exceed the bound, and a request for a folded page
 * is served only after every node that may hold it dropped it (the exhaustive checker covers the
 * interleavings; see {@code ProtocolCheckerTest#foldedRecordsHoldTheInvariantsInEveryInterleaving}).
 */
class DirectoryFoldTest {

  private static final long OBJ = 3;

  private final ProtocolModel.Image image = new ProtocolModel.Image();

  /** Delivers grants (reported delivered, as the transport does) and answers recalls. */
  private List<ToNode> granted(DirectoryCore dir, List<ToNode> out) {
    for (ToNode m : out) {
      if (m instanceof Grant g) {
        dir.grantDelivered(g.page(), g.txn(), g.to());
      } else if (m instanceof Inval i) {
        granted(dir, dir.handle(new InvalAck(OBJ, i.page(), i.to(), i.txn(), null)));
      }
    }
    return out;
  }

  @Test
  void recordsStayWithinTheBound() {
    DirectoryCore dir = new DirectoryCore(OBJ, false, image, 8);
    for (int page = 0; page < 1_000; page++) {
      granted(dir, dir.handle(new Read(OBJ, page * 7L % 500, "n" + page % 3, page + 1, -1)));
      assertTrue(dir.records() <= 8, "records " + dir.records() + " after page " + page);
    }
    assertTrue(dir.ranges().size() > 0, "nothing was folded");
  }

  @Test
  void aFoldedPageIsRecalledFromEveryPossibleHolderBeforeItIsGranted() {
    DirectoryCore dir = new DirectoryCore(OBJ, false, image, 1);
    granted(dir, dir.handle(new Write(OBJ, 0, "n0", 1, -1))); // n0 owns page 0 (M)
    granted(dir, dir.handle(new Read(OBJ, 1, "n1", 1, -1))); // n1 owns page 1: page 0 folds
    assertTrue(dir.isFolded(0), "page 0 was not folded");

    List<ToNode> out = dir.handle(new Write(OBJ, 0, "n2", 1, -1));
    Set<String> recalled = out.stream().filter(m -> m instanceof Inval i && i.recall())
        .map(ToNode::to).collect(Collectors.toSet());
    assertTrue(recalled.contains("n0"), "the owner of the folded page was not recalled: " + out);
    assertTrue(out.stream().noneMatch(m -> m instanceof Grant), "granted before the recall");

    // n0 drops its M copy and its ack carries the data, which the store gets before the grant
    PageData dirty = new PageData(5, new byte[] {1, 2, 3, 4});
    Inval toN0 = (Inval) out.stream().filter(m -> m.to().equals("n0")).findFirst().orElseThrow();
    List<ToNode> after = List.of();
    for (String n : recalled) {
      after = dir.handle(new InvalAck(OBJ, 0, n, toN0.txn(), n.equals("n0") ? dirty : null));
    }
    assertEquals(dirty, image.read(0), "the recalled dirty copy was not stored");
    Grant g = (Grant) after.stream().filter(m -> m instanceof Grant).findFirst().orElseThrow();
    assertEquals("n2", g.to());
    assertEquals(Mesi.M, g.state());
    assertEquals(dirty, g.data());
  }
}
