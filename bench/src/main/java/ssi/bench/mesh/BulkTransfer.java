package ssi.bench.mesh;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.Reply;
import ssi.bench.mesh.MeshMessages.PageBatch;

/**
 * A bulk page transfer from node A to node B through the mesh: {@link PageBatch}es of {@code
 * batchBytes} sent to the proxy of B's page sink port, at most {@code window} unanswered at a time
 * (well inside the link's credits, so none waits in the link's queue), from the calling thread.
 * A batch counts when its reply — the byte count B received — is back.
 */
final class BulkTransfer {

  /** A transfer's outcome. */
  record Result(long bytes, long nanos, long batches, Map<Errno, Long> errors) {

    double bytesPerSecond() {
      return bytes * 1e9 / nanos;
    }
  }

  private static final long STALL_SECONDS = 30;

  private final Function<PageBatch, CompletionStage<Reply<Long>>> send;
  private final byte[] data;
  private final int window;

  /** Through the mesh: to the proxy of B's page sink port. */
  BulkTransfer(Port<PageBatch, Long> proxy, int batchBytes, int window) {
    this(batch -> Lwkt.domsg(proxy, Msg.of(batch)), batchBytes, window);
  }

  /** Through {@code send}, which returns the reply to one batch (the diagnostic paths). */
  BulkTransfer(Function<PageBatch, CompletionStage<Reply<Long>>> send, int batchBytes,
      int window) {
    this.send = send;
    this.data = new byte[batchBytes];
    for (int i = 0; i < batchBytes; i++) {
      data[i] = (byte) (i * 31 + 7); // not all zeros, in case anything on the way compresses
    }
    this.window = window;
  }

  /** True until {@code d} from now has passed. */
  static BooleanSupplier forDuration(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    return () -> System.nanoTime() - deadline < 0;
  }

  /** Sends batches while {@code keepGoing} says so, then waits for the last replies. */
  Result run(BooleanSupplier keepGoing) throws InterruptedException {
    Semaphore free = new Semaphore(window);
    AtomicLong bytes = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    Map<Errno, Long> errors = new EnumMap<>(Errno.class);
    long id = 0;
    long start = System.nanoTime();
    while (keepGoing.getAsBoolean()) {
      acquire(free, 1);
      send.apply(new PageBatch(id++, data)).whenComplete((r, failure) -> {
        if (failure == null && r.isOk()) {
          bytes.addAndGet(r.value());
          batches.incrementAndGet();
        } else {
          synchronized (errors) {
            errors.merge(failure == null ? r.errno() : Errno.EIO, 1L, Long::sum);
          }
        }
        free.release();
      });
    }
    acquire(free, window);
    long nanos = System.nanoTime() - start;
    synchronized (errors) {
      return new Result(bytes.get(), nanos, batches.get(), Map.copyOf(errors));
    }
  }

  private static void acquire(Semaphore s, int permits) throws InterruptedException {
    if (!s.tryAcquire(permits, STALL_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the bulk transfer got no reply for " + STALL_SECONDS + " s");
    }
  }
}
