package ssi.bench.serialization;

import akka.actor.typed.ActorRef;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ssi.actors.SsiMessage;

/**
 * SSI-like messages for the serialization suite, shaped like the protocols of DESIGN §§3-10 —
 * coherence requests, a page-data grant, invalidations, a namespace operation, an IPI, a range lock
 * and a migration piece — and {@link #set} builds the representative set the suite measures: one
 * of each, so 9 messages of which one carries a 4 KiB page. Every class here is registered with the
 * Kryo serializer in {@code bench/src/main/resources/reference.conf} (ids 900-999).
 */
public final class SampleMessages {

  /** The size of a page of data, as in the page cache. */
  public static final int PAGE_SIZE = 4096;

  /** Fixed so every run measures identical page contents. */
  private static final long PAGE_SEED = 20_240_901L;

  private SampleMessages() {
  }

  /** A page's coherence state. */
  public enum PageState { INVALID, SHARED, EXCLUSIVE, MODIFIED }

  /** The operation of a {@link NamespaceOp}. */
  public enum NamespaceOpKind { LOOKUP, CREATE, MKDIR, UNLINK, RENAME }

  /** The mode of a {@link RangeLockRequest}. */
  public enum LockMode { READ, WRITE }

  /** A run of pages of one object (a nested record inside other messages). */
  public record PageRange(long firstPage, int pageCount) {
  }

  /** A coherence read request to an object's directory. */
  public record ReadRequest(long objectId, PageRange range, long epoch, long serial,
      ActorRef<PageGrant> replyTo) implements SsiMessage {
  }

  /** A grant of one page with its data, in a coherence state. */
  public record PageGrant(long objectId, long page, long epoch, long serial, PageState state,
      byte[] data) implements SsiMessage {

    // A record compares arrays by identity; a grant is equal to another with the same bytes.
    @Override
    public boolean equals(Object o) {
      return o instanceof PageGrant g && objectId == g.objectId && page == g.page
          && epoch == g.epoch && serial == g.serial && state == g.state
          && Arrays.equals(data, g.data);
    }

    @Override
    public int hashCode() {
      return 31 * Long.hashCode(objectId ^ page ^ serial) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "PageGrant[objectId=" + objectId + ", page=" + page + ", epoch=" + epoch + ", serial="
          + serial + ", state=" + state + ", data=" + data.length + " bytes]";
    }
  }

  /** An invalidation of a holder's copies of a range of pages. */
  public record Invalidate(long objectId, PageRange range, long epoch, long serial,
      ActorRef<InvalidateAck> replyTo) implements SsiMessage {
  }

  /** A holder's acknowledgement of an {@link Invalidate}. */
  public record InvalidateAck(long objectId, long serial, int node) implements SsiMessage {
  }

  /** A namespace operation on a path. */
  public record NamespaceOp(NamespaceOpKind kind, String path, int flags, long serial,
      ActorRef<NamespaceReply> replyTo) implements SsiMessage {
  }

  /** The reply to a {@link NamespaceOp}: an errno value (0 for success) and the object found. */
  public record NamespaceReply(long serial, int errno, long objectId) implements SsiMessage {
  }

  /** An IPI message from one CPU to a port on another, with a few scalar arguments. */
  public record IpiMessage(int fromCpu, int toCpu, long port, List<Long> args) implements SsiMessage {

    /** Copies the arguments so the message stays immutable. */
    public IpiMessage {
      args = List.copyOf(args);
    }
  }

  /** A byte-range lock request on a global file. */
  public record RangeLockRequest(long fileId, long start, long end, LockMode mode, long serial,
      ActorRef<InvalidateAck> replyTo) implements SsiMessage {
  }

  /** One piece of a process's state moved by a piecemeal migration. */
  public record MigrationPiece(long pid, int piece, int pieces, Map<String, String> state)
      implements SsiMessage {

    /** Copies the state so the message stays immutable. */
    public MigrationPiece {
      state = Map.copyOf(state);
    }
  }

  /**
   * The representative set: one message of each kind, with values of realistic magnitude (global
   * object ids carry the owning node in their top 16 bits).
   *
   * @param replyTo the actor replies go to; its address is that of a remote-capable system, as on
   *     the wire
   */
  @SuppressWarnings("unchecked")
  public static List<SsiMessage> set(ActorRef<?> replyTo) {
    long objectId = (3L << 48) | 0x1_a2b3L;
    long fileId = (2L << 48) | 0x4_0017L;
    byte[] page = new byte[PAGE_SIZE];
    new Random(PAGE_SEED).nextBytes(page);
    return List.of(
        new ReadRequest(objectId, new PageRange(1_024, 8), 42, 1_048_577,
            (ActorRef<PageGrant>) replyTo),
        new PageGrant(objectId, 1_027, 42, 1_048_577, PageState.SHARED, page),
        new Invalidate(objectId, new PageRange(1_024, 8), 43, 1_048_601,
            (ActorRef<InvalidateAck>) replyTo),
        new InvalidateAck(objectId, 1_048_601, 2),
        new NamespaceOp(NamespaceOpKind.CREATE, "/home/alice/src/ssi/cache/Directory.java", 0x241,
            77_001, (ActorRef<NamespaceReply>) replyTo),
        new NamespaceReply(77_001, 0, objectId + 1),
        new IpiMessage(0, 1, 17, List.of(3L, 4_096L, 1_700_000_000_123L)),
        new RangeLockRequest(fileId, 65_536, 131_071, LockMode.WRITE, 9_001,
            (ActorRef<InvalidateAck>) replyTo),
        new MigrationPiece(4_711, 3, 12, Map.of("cwd", "/home/alice/src/ssi", "umask", "0022",
            "nice", "0", "comm", "make", "state", "running")));
  }
}
