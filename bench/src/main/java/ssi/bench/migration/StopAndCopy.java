package ssi.bench.migration;

import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import ssi.actors.lwkt.Reply;
import ssi.bench.migration.MigrationMessages.CopyAck;
import ssi.bench.migration.MigrationMessages.CopyPages;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.PageStores;

/**
 * The copy half of the stop-and-copy baseline: a process's whole address space read through
 * node a's page cache and sent over Artery in 64 KiB batches, all in flight at once, to the
 * actor on node b that writes them into a fresh object through b's page cache and acknowledges
 * each batch once written.
 */
final class StopAndCopy {

  /** Pages per batch: 64 KiB, well under Artery's maximum frame. */
  static final int BATCH_PAGES = 16;
  /** The target that makes b acknowledge without writing: the transfer alone. */
  static final long TRANSFER_ONLY = -1;

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final MigrationNodes nodes;
  private final int pages;

  StopAndCopy(MigrationNodes nodes, int pages) {
    this.nodes = nodes;
    this.pages = pages;
  }

  /**
   * A fresh object to copy into. Untimed, b reads a page past the copy's range, so the object's
   * directory is started and its image loaded from PostgreSQL before the copy: a one-off cost
   * the baseline should not carry.
   */
  long freshTarget() throws Exception {
    long target = ProcessControl.await(PageStores.get(nodes.a()).store().orElseThrow()
        .nextObjectId()).value();
    ProcessControl.await(PageCache.get(nodes.b()).read(target,
        (long) pages * TouchProgram.PAGE, 1));
    return target;
  }

  /**
   * Every page of {@code space}: read on a (hits), sent to b in batches, written there into
   * {@code target} ({@link #TRANSFER_ONLY}: only sent and acknowledged, not written).
   */
  void copy(long space, long target) throws Exception {
    PageCache a = PageCache.get(nodes.a());
    List<CompletableFuture<CopyAck>> acks = new ArrayList<>();
    int batch = BATCH_PAGES * TouchProgram.PAGE;
    for (long off = 0; off < (long) pages * TouchProgram.PAGE; off += batch) {
      long at = off;
      acks.add(a.read(space, at, batch).toCompletableFuture().thenCompose(r -> {
        if (!r.isOk()) {
          return CompletableFuture.completedFuture(new CopyAck(at, false));
        }
        return AskPattern.<CopyPages, CopyAck>ask(nodes.sinkOnB(),
            to -> new CopyPages(target, at, r.value(), to), ASK_TIMEOUT,
            nodes.a().scheduler()).toCompletableFuture();
      }));
    }
    for (CompletableFuture<CopyAck> f : acks) {
      if (!ProcessControl.await(f).ok()) {
        throw new IllegalStateException("the copy of object " + space + " failed at "
            + f.get().offset());
      }
    }
  }

  /** The copy is byte for byte what the process wrote (read on b, from its own cache). */
  void check(long space, long target) throws Exception {
    int len = pages * TouchProgram.PAGE;
    Reply<byte[]> want = ProcessControl.await(PageCache.get(nodes.a()).read(space, 0, len));
    Reply<byte[]> got = ProcessControl.await(PageCache.get(nodes.b()).read(target, 0, len));
    if (!want.isOk() || !got.isOk() || !Arrays.equals(want.value(), got.value())) {
      throw new IllegalStateException("the stop-and-copy copy of " + space + " differs");
    }
  }

  /**
   * The address-space object of process {@code pid}. The process API does not show it; spawn
   * allocates it together with the pid, from the same sequence (so it is pid - 1 or pid + 1),
   * and the process has just written all its pages on a: the candidate whose every page a holds
   * exclusively (checked to be the only one).
   */
  long addressSpace(long pid) {
    PageCache a = PageCache.get(nodes.a());
    List<Long> found = new ArrayList<>();
    for (long obj : new long[] {pid - 1, pid + 1}) {
      boolean all = true;
      for (int p = 0; p < pages && all; p++) {
        all = a.state(obj, p).exclusive();
      }
      if (all) {
        found.add(obj);
      }
    }
    if (found.size() != 1) {
      throw new IllegalStateException("cannot tell the address space of process " + pid
          + ": candidates held exclusively on a " + found);
    }
    return found.get(0);
  }
}
