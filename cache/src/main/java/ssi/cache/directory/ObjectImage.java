package ssi.cache.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ssi.cache.coherence.BackingImage;
import ssi.cache.coherence.PageData;

/**
 * The pages of one object the directory has loaded from the page store, and the write-backs it
 * accepted that are not yet committed. A page is loaded before any message for it is handled.
 */
final class ObjectImage implements BackingImage {

  private final Map<Long, PageData> pages = new HashMap<>();
  private final Map<Long, PageData> unwritten = new HashMap<>();

  boolean loaded(long page) {
    return pages.containsKey(page);
  }

  void load(long page, PageData data) {
    pages.putIfAbsent(page, data);
  }

  /**
   * The loaded page. The directory actor loads a page before handing the core any message for
   * it; only views and restored records name pages not loaded, and see serial -1 ("unknown").
   */
  @Override
  public PageData read(long page) {
    PageData d = pages.get(page);
    return d != null ? d : new PageData(-1, new byte[0]);
  }

  @Override
  public void write(long page, PageData data) {
    pages.put(page, data);
    unwritten.put(page, data);
  }

  int size() {
    return pages.size();
  }

  /**
   * Drops loaded pages that {@code droppable} allows (clean: never one with a write-back not yet
   * taken to persist) until at most {@code keep} remain; they are loaded again when needed.
   */
  void trim(int keep, java.util.function.LongPredicate droppable) {
    var it = pages.keySet().iterator();
    while (pages.size() > keep && it.hasNext()) {
      long page = it.next();
      if (!unwritten.containsKey(page) && droppable.test(page)) {
        it.remove();
      }
    }
  }

  /** The write-backs accepted since the last call, to persist. */
  List<Map.Entry<Long, PageData>> takeUnwritten() {
    List<Map.Entry<Long, PageData>> out = new ArrayList<>(unwritten.entrySet());
    unwritten.clear();
    return out;
  }

}
