package ssi.cache.pagecache;

import java.util.List;
import ssi.actors.SsiMessage;
import ssi.cache.coherence.CacheCore;

/**
 * A node's answer to a {@link HolderQuery}: the pages of the object it holds.
 *
 * @param holdings pages in S, E or M with serial and epoch
 */
public record HolderReport(List<CacheCore.Holding> holdings) implements SsiMessage {
}
