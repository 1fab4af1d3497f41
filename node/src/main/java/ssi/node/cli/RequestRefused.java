package ssi.node.cli;

/**
 * A node answered an {@code ssi} request with a non-2xx status; {@link #getMessage()} is the
 * {@code error} of its JSON body (or the first line of a non-JSON body) with the status, ready to
 * print as a one-line error. Commands exit 1 for it, 2 when no node answered at all.
 */
final class RequestRefused extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  RequestRefused(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the node answered. */
  int status() {
    return status;
  }
}
