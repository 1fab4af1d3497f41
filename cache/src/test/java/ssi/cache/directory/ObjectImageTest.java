package ssi.cache.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import ssi.cache.coherence.PageData;

/** The backing store's bounded image: only clean pages it is allowed to drop are dropped. */
class ObjectImageTest {

  @Test
  void trimDropsOnlyCleanDroppablePages() {
    ObjectImage image = new ObjectImage();
    for (long p = 0; p < 10; p++) {
      image.load(p, new PageData(1, new byte[] {(byte) p}));
    }
    image.write(3, new PageData(2, new byte[] {33})); // accepted, not yet taken to persist
    image.trim(2, page -> page != 5); // page 5 is named by a record
    assertTrue(image.loaded(3), "a page with a write-back to persist was dropped");
    assertTrue(image.loaded(5), "a page a record names was dropped");
    assertEquals(2, image.size());
    image.takeUnwritten();
    image.trim(0, page -> true);
    assertEquals(0, image.size());
  }
}
