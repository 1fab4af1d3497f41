/**
 * Coherence, after the seed's "networked MESI cache coherency model": VM objects as sparse page
 * arrays, a sharded backing store on PostgreSQL as the single writer of each object's pages, a
 * coherence directory over byte ranges beside it, and a page cache per node whose hits in S/E/M
 * cost no message. Range locks keep UNIX read/write atomicity on top.
 *
 * <p>Built so far: {@link ssi.cache.store}, the page store (objects and pages in PostgreSQL,
 * group-committed, EIO while the database is down, embedded PostgreSQL by default). The backing
 * stores, directories, page caches and protocol come next and use it.
 */
package ssi.cache;
