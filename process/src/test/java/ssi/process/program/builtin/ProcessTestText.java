package ssi.process.program.builtin;

/** Expected texts. */
final class ProcessTestText {

  private ProcessTestText() {
  }

  /** {@code 1\n2\n...n\n}. */
  static String numbered(long n) {
    StringBuilder sb = new StringBuilder();
    for (long i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return sb.toString();
  }
}
