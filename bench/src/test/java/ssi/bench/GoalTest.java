package ssi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GoalTest {

  @Test
  void lineFollowsTheContract() {
    assertEquals("GOAL domsg-fast-vs-ask 31.2 >= 20 PASS",
        new Goal("domsg-fast-vs-ask", 31.234, ">=", 20).line());
    assertEquals("GOAL kryo-vs-jackson-bytes 0.712 <= 0.6 MISS",
        new Goal("kryo-vs-jackson-bytes", 0.71234, "<=", 0.6).line());
    assertEquals("GOAL msgs-dirty-miss 3 = 3 PASS", new Goal("msgs-dirty-miss", 3.0, "=", 3).line());
  }

  @Test
  void numbersAreCompact() {
    assertEquals("20", Goal.format(20));
    assertEquals("0.6", Goal.format(0.6));
    assertEquals("1.5", Goal.format(1.5));
    assertEquals("1235", Goal.format(1234.6));
    assertEquals("0.000123", Goal.format(0.00012345));
    assertEquals("0", Goal.format(0));
    assertEquals("-2.5", Goal.format(-2.5));
  }

  @Test
  void passComparesWithTheOperator() {
    assertTrue(new Goal("g", 1.5, ">=", 1.5).pass());
    assertFalse(new Goal("g", 1.49, ">=", 1.5).pass());
    assertTrue(new Goal("g", 0.6, "<=", 0.6).pass());
    assertFalse(new Goal("g", 0.61, "<=", 0.6).pass());
    assertTrue(new Goal("g", 2, "=", 2).pass());
    assertFalse(new Goal("g", 3, "=", 2).pass());
    assertFalse(new Goal("g", Double.NaN, "<=", 2).pass());
  }

  @Test
  void badNamesAndOperatorsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Goal("two words", 1, ">=", 1));
    assertThrows(IllegalArgumentException.class, () -> new Goal("g", 1, ">", 1));
  }
}
