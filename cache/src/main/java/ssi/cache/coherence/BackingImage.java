package ssi.cache.coherence;

/**
 * The backing store's pages as the directory sees them: the authoritative version of every page
 * not held in M somewhere. The directory's actor keeps the image loaded for the pages a request
 * names and persists every {@link #write} to the page store.
 */
public interface BackingImage {

  /** The stored page; serial 0 and zero bytes for a page never written. */
  PageData read(long page);

  /** A write-back the directory accepted. */
  void write(long page, PageData data);
}
