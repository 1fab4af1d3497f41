package ssi.cache.coherence;

import ssi.actors.SsiMessage;

/**
 * The coherence protocol's messages, one page each. Messages to the directory name the object
 * (the directory lives with the object's backing store); messages to nodes name the node in
 * {@code to}. No delivery order is assumed between any two messages: the protocol is correct
 * under every interleaving, which the exhaustive checker verifies.
 *
 * <p>Message counts of the common operations (the cache benchmark's goals): a clean read miss is
 * {@link Read} + {@link Grant} (2); a read miss on a page another node holds in E/M is
 * {@link Read} + {@link Fwd} + {@link Data} (3 hops on the requester's path; the holder's
 * {@link Flush} to the directory is a 4th message off that path); a write to a page two other nodes share is {@link Write} + 2
 * {@link Inval} + 2 {@link InvalAck} + {@link Grant} (6); E to M costs none.
 */
public sealed interface CoherenceMsg extends SsiMessage {

  /** The object the page belongs to. */
  long obj();

  /** The page number. */
  long page();

  /** Messages the directory receives. */
  sealed interface ToDirectory extends CoherenceMsg {
    /** The sending node. */
    String node();
  }

  /** Messages a node receives. */
  sealed interface ToNode extends CoherenceMsg {
    /** The receiving node. */
    String to();
  }

  /**
   * Read miss: {@code node} wants the page readable. {@code serial} is the serial of a stale copy
   * it kept (revalidation: unchanged pages are granted without data), or -1.
   */
  record Read(long obj, long page, String node, long txn, long serial) implements ToDirectory {
  }

  /** Write miss or upgrade: {@code node} wants the page in M; {@code serial} as for Read. */
  record Write(long obj, long page, String node, long txn, long serial) implements ToDirectory {
  }

  /**
   * A sharer's answer to {@link Inval}: it no longer holds the page. For a recall, {@code data} is
   * the S copy it dropped (the directory stores it if newer than the store), else null.
   */
  record InvalAck(long obj, long page, String node, long txn, PageData data)
      implements ToDirectory {
  }

  /**
   * {@code node} dropped the page. {@code dirty} carries the data of an M page (a write-back,
   * accepted only when {@code epoch} is still the page's epoch), else null. {@code exclusive}:
   * the node evicted it from E/M, so forwards it has not served yet are served from the evicted
   * copy, and the eviction stands for their flush.
   */
  record Evict(long obj, long page, String node, long epoch, PageData dirty, boolean exclusive)
      implements ToDirectory {
  }

  /**
   * Write-back of an M page that {@code node} keeps: as E ({@code keepShared} false, after fsync or
   * the write-back timer) or as S (after a forwarded read; then {@code data} is null when the node
   * held the page only in E — the directory waits for this message either way). With
   * {@code txn} >= 0 the node waits for a {@link FlushAck} (fsync: it returns only after the store
   * committed).
   */
  record Flush(long obj, long page, String node, long txn, long epoch, PageData data,
      boolean keepShared) implements ToDirectory {
  }

  /** Grant from the directory: the page in {@code state}; {@code data} null = revalidated. */
  record Grant(long obj, long page, String to, long txn, Mesi state, long epoch, PageData data)
      implements ToNode {
  }

  /**
   * The directory tells a sharer to drop the page and acknowledge. With {@code recall}, the
   * acknowledgement carries the sharer's copy: the node whose flush the directory waited for died,
   * and the copy it had sent the sharer may be the only one of its last write.
   */
  record Inval(long obj, long page, String to, long txn, boolean recall) implements ToNode {
  }

  /**
   * The directory forwards a request to the page's E/M holder {@code to}, which sends the data
   * straight to {@code requester} ({@link Data}) and decides its own disposition: for a read it
   * keeps S (an M holder writes back), for a write (or any request in MEI mode) it drops to I and
   * hands over ownership with epoch {@code epoch}. {@code holderTxn} is the holder's own request
   * that made it the owner as far as the directory knows (-1: none in flight, e.g. ownership
   * given back): a holder whose request {@code holderTxn} is still pending defers the forward
   * until that grant arrives; a holder waiting for another request serves it from its copy.
   */
  record Fwd(long obj, long page, String to, long txn, String requester, boolean write,
      boolean mei, long epoch, long holderTxn) implements ToNode {
  }

  /** Data from the previous holder to the requester, in place of a Grant. */
  record Data(long obj, long page, String to, long txn, Mesi state, long epoch, PageData data)
      implements ToNode {
  }

  /**
   * The directory processed an {@link Evict}. {@code forwards} is how many forwards it has ever
   * sent to this node for this page: the node keeps the evicted data until it has served that many,
   * since a forward may arrive after this acknowledgement.
   */
  record EvictAck(long obj, long page, String to, long forwards) implements ToNode {
  }

  /** Answer to a {@link Flush} with a txn: {@code accepted} false = a stale epoch, rejected. */
  record FlushAck(long obj, long page, String to, long txn, boolean accepted) implements ToNode {
  }
}
