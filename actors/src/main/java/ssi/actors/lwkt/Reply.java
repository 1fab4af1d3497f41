package ssi.actors.lwkt;

import java.util.Objects;
import ssi.actors.SsiMessage;

/**
 * The one reply a message gets: an {@link Errno} and, when it is {@link Errno#OK}, a value.
 *
 * <pre>{@code
 * Reply<Integer> r = Reply.ok(42);       // success
 * Reply<Integer> e = Reply.error(Errno.ENOENT);
 * }</pre>
 *
 * @param errno {@link Errno#OK} or the error
 * @param value the result when {@code errno} is OK, else null
 * @param <R> the result type
 */
public record Reply<R>(Errno errno, R value) implements SsiMessage {

  /** Checks that an error reply carries no value. */
  public Reply {
    Objects.requireNonNull(errno, "errno");
    if (errno != Errno.OK && value != null) {
      throw new IllegalArgumentException("an error reply carries no value: " + errno);
    }
  }

  /** A successful reply. */
  public static <R> Reply<R> ok(R value) {
    return new Reply<>(Errno.OK, value);
  }

  /** An error reply. */
  public static <R> Reply<R> error(Errno errno) {
    if (errno == Errno.OK) {
      throw new IllegalArgumentException("OK is not an error");
    }
    return new Reply<>(errno, null);
  }

  /** Whether this reply is a success. */
  public boolean isOk() {
    return errno == Errno.OK;
  }
}
