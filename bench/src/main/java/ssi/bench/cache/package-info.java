/**
 * The {@code cache} suite ({@link ssi.bench.cache.CacheSuite}): exact protocol message counts and
 * the directory's memory from the pure coherence cores ({@link ssi.bench.cache.ProtocolPump},
 * {@link ssi.bench.cache.DirectoryMemory}), and hit and miss latencies of the real node page cache
 * on three cluster nodes in this JVM with an embedded PostgreSQL page store ({@link
 * ssi.bench.cache.CacheNodes}, {@link ssi.bench.cache.CacheLatencies}), each against its baseline
 * in the same run.
 */
package ssi.bench.cache;
