package ssi.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One performance goal's outcome: a measured figure (usually a ratio measured side by side in one
 * run) compared with its target. {@link #line()} is the driver's output contract, e.g.
 * {@code GOAL domsg-fast-vs-ask 31.2 >= 20 PASS}.
 *
 * @param name the goal's name from DESIGN §13, without spaces
 * @param measured the measured figure
 * @param op how measured is compared with target: {@code ">="}, {@code "<="} or {@code "="}
 * @param target the target figure
 */
public record Goal(String name, double measured, String op, double target) {

  /** Decimal places kept at most, relative to the leading digit (3 significant digits). */
  private static final int SIGNIFICANT_DIGITS = 3;

  /** Tolerance for {@code "="}, which compares counts that may be computed as doubles. */
  private static final double EQUALITY_TOLERANCE = 1e-9;

  /** Validates the name (non-empty, no whitespace) and the operator. */
  public Goal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
    if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a goal name must be one word: '" + name + "'");
    }
    if (!op.equals(">=") && !op.equals("<=") && !op.equals("=")) {
      throw new IllegalArgumentException("op must be >=, <= or =, got '" + op + "'");
    }
  }

  /** Whether the measured figure meets the target; a NaN or infinite measurement never does. */
  public boolean pass() {
    if (!Double.isFinite(measured)) {
      return false;
    }
    return switch (op) {
      case ">=" -> measured >= target;
      case "<=" -> measured <= target;
      default -> Math.abs(measured - target) <= EQUALITY_TOLERANCE;
    };
  }

  /** The result line, exactly {@code GOAL <name> <measured> <op> <target> PASS|MISS}. */
  public String line() {
    return "GOAL " + name + " " + format(measured) + " " + op + " " + format(target) + " "
        + (pass() ? "PASS" : "MISS");
  }

  @Override
  public String toString() {
    return line();
  }

  /**
   * Formats a figure compactly: 3 significant digits (whole numbers from 100 up), no trailing
   * zeros, no exponent — {@code 31.2}, {@code 0.6}, {@code 20}, {@code 1235}.
   */
  static String format(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP));
    if (Math.abs(value) >= Math.pow(10, SIGNIFICANT_DIGITS - 1)) {
      rounded = new BigDecimal(value).setScale(0, RoundingMode.HALF_UP);
    }
    if (rounded.signum() == 0) {
      return "0";
    }
    return rounded.stripTrailingZeros().toPlainString();
  }
}
