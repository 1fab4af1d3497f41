package ssi.actors.lwkt;

/**
 * The error half of every reply: errors cross ports as these values, never as exceptions. Names
 * and meanings follow POSIX errno so a reader who knows UNIX knows what each one means.
 */
public enum Errno {
  /** Success; the reply carries a value. */
  OK,
  /** Interrupted: the message was aborted before it was processed. */
  EINTR,
  /** The reply did not arrive in time. */
  ETIMEDOUT,
  /** The node that held the port left or was downed. */
  EHOSTDOWN,
  /** An I/O error, or an unexpected failure inside the target. */
  EIO,
  /** The port (or descriptor) is closed or was never valid. */
  EBADF,
  /** No such object. */
  ENOENT,
  /** The object already exists. */
  EEXIST,
  /** An invalid argument or an operation the port does not support. */
  EINVAL,
  /** Try again: a bounded queue or credit window is full. */
  EAGAIN,
  /** The other end is gone (all readers closed). */
  EPIPE,
  /** Permission denied. */
  EACCES,
  /** No space left. */
  ENOSPC,
  /** The handle is stale: its object was deleted and the id reused. */
  ESTALE,
  /** A path component is not a directory. */
  ENOTDIR,
  /** The target is a directory. */
  EISDIR,
  /** The directory is not empty. */
  ENOTEMPTY,
  /** The operation was cancelled: the port's owner dropped the message. */
  ECANCELED,
  /** The operation is not supported by this port. */
  EOPNOTSUPP,
  /** Resource busy. */
  EBUSY
}
