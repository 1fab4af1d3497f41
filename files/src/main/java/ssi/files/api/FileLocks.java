package ssi.files.api;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import ssi.cache.rangelock.LockInfo;
import ssi.cache.rangelock.RangeLock;

/**
 * The range locks of the files whose {@link FileObject} entity runs on this node (an Akka
 * extension): each running entity registers its {@link RangeLock} here while it lives, so
 * {@code GET /ssi/locks} can show what is held and what waits.
 */
public final class FileLocks implements Extension {

  private static final Id ID = new Id();

  private final ConcurrentHashMap<Long, RangeLock> byObject = new ConcurrentHashMap<>();

  private FileLocks() {
  }

  /** This node's registry. */
  public static FileLocks get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  void register(RangeLock lock) {
    byObject.put(lock.object(), lock);
  }

  void unregister(RangeLock lock) {
    byObject.remove(lock.object(), lock);
  }

  /** Held and waiting locks per object (objects with none left out), in arrival order. */
  public SortedMap<Long, List<LockInfo>> snapshot() {
    SortedMap<Long, List<LockInfo>> out = new TreeMap<>();
    byObject.forEach((id, lock) -> {
      List<LockInfo> rows = lock.snapshot();
      if (!rows.isEmpty()) {
        out.put(id, rows);
      }
    });
    return Collections.unmodifiableSortedMap(out);
  }

  private static final class Id extends ExtensionId<FileLocks> {
    @Override
    public FileLocks createExtension(ActorSystem<?> system) {
      return new FileLocks();
    }
  }
}
