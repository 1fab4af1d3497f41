/**
 * The MESI coherence protocol as pure state machines: {@link ssi.cache.coherence.DirectoryCore}
 * (one object's directory, beside its backing store) and {@link ssi.cache.coherence.CacheCore}
 * (one node's page cache), exchanging {@link ssi.cache.coherence.CoherenceMsg}s. No actors,
 * timers or I/O here: the actors deliver messages and persist pages, and the exhaustive checker
 * drives the same code through every interleaving.
 */
package ssi.cache.coherence;
