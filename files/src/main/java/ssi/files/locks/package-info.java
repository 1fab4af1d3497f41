/**
 * Range locks (DESIGN §8): per file per node a FIFO-fair manager of shared and exclusive byte
 * ranges ({@link ssi.files.locks.NodeLocks}) over the extents the file's lock server ({@link
 * ssi.files.locks.FileObject}, a sharded entity) grants each node — Lustre's extent locks:
 * cached by the node, revoked by the server on conflict, recovered when the server restarts.
 */
package ssi.files.locks;
