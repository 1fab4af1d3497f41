/**
 * Coherence, after the seed's "networked MESI cache coherency model": VM objects as sparse page
 * arrays, a sharded backing store on PostgreSQL as the single writer of each object's pages, a
 * coherence directory over byte ranges beside it, and a page cache per node whose hits in S/E/M
 * cost no message. Range locks keep UNIX read/write atomicity on top. (Filled in by the
 * coherence and range-lock issues; this module is a placeholder in the reactor until then.)
 */
package ssi.cache;
