/**
 * The file API usable on any node ({@link ssi.files.api.Files}): data through the page cache,
 * length and mtime in the page store's object row, every read and write under a range lock of
 * the node's {@link ssi.files.locks.NodeLocks}.
 */
package ssi.files.api;
