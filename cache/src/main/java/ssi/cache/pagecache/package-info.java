/**
 * The node page cache: the coherence core of one node with its transport — hits served in the
 * caller's thread with no message, protocol traffic through the mesh port {@code cache.node},
 * requests to directories through Cluster Sharding, eviction under a memory bound, a write-back
 * timer, fsync and write-through.
 */
package ssi.cache.pagecache;
