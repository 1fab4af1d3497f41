package ssi.process.program.builtin;

import java.util.List;

/** Argument parsing shared by the built-in programs: clear messages for bad input. */
final class Args {

  private Args() {
  }

  /** Argument {@code i} as a number in {@code [min, max]}, or {@code dflt} when absent. */
  static long number(List<String> args, int i, long dflt, long min, long max, String what) {
    if (i >= args.size()) {
      return dflt;
    }
    try {
      long v = Long.parseLong(args.get(i));
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got '" + args.get(i) + "'");
    }
  }

  /** Whether argument 0 is present and not a number (a path). */
  static boolean leadingPath(List<String> args) {
    return !args.isEmpty() && !args.get(0).matches("-?\\d+");
  }
}
