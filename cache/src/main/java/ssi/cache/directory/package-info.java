/**
 * The backing store of each VM object as a Cluster Sharding entity: the single writer of the
 * object's pages in the page store, hosting the object's coherence directory, rebuilt from the
 * nodes ("holder unknown") whenever it starts.
 */
package ssi.cache.directory;
