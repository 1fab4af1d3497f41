package ssi.cache.coherence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checker's shadow of single-copy semantics for one page: the history of completed writes in
 * real-time order (a write here takes effect when it completes locally, so it is linearized
 * there), and at a crash possibly a <em>rollback</em> entry — the dead node's unwritten changes
 * may be lost, and the page's value after the crash is one of the surviving candidates, fixed by
 * the first read (or the end of the run) that observes it; after that it must stay consistent.
 * A read started when the history had {@code start + 1} entries may return the value of any entry
 * from {@code start} on (it is linearized anywhere in its interval).
 */
final class RegisterSpec {

  /** A value is an int: 0 = the initial zero page, else {@link #code} of the written bytes. */
  static int code(byte[] bytes) {
    return (bytes[0] & 0xff) << 16 | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff);
  }

  /** One history entry: a plain value, or a rollback with candidates and maybe a resolution. */
  private static final class Entry {
    final int value; // for a rollback: the resolved value, or -1
    final int[] candidates; // null for a plain write

    Entry(int value, int[] candidates) {
      this.value = value;
      this.candidates = candidates;
    }
  }

  private final List<Entry> hist = new ArrayList<>();
  /** Values of writes in write order (rank = index); the initial value has rank 0. */
  private final List<Integer> writes = new ArrayList<>();
  /** Values that exist nowhere after a crash: writing one to the store would be a fencing hole. */
  private final Set<Integer> lost = new TreeSet<>();

  RegisterSpec() {
    hist.add(new Entry(0, null));
    writes.add(0);
  }

  RegisterSpec copy() {
    RegisterSpec s = new RegisterSpec();
    s.hist.clear();
    s.hist.addAll(hist); // entries are immutable (a resolution replaces the entry)
    s.writes.clear();
    s.writes.addAll(writes);
    s.lost.addAll(lost);
    return s;
  }

  /** The index a read starting now records. */
  int now() {
    return hist.size() - 1;
  }

  void write(int value) {
    hist.add(new Entry(value, null));
    writes.add(value);
  }

  int rank(int value) {
    return writes.indexOf(value);
  }

  boolean isLost(int value) {
    return lost.contains(value);
  }

  /**
   * The current value if known, else -1 (an unresolved rollback is last).
   */
  int current() {
    return hist.get(hist.size() - 1).value;
  }

  /** Checks a read that started at {@code start} and returned {@code value}; null = legal. */
  String read(int start, int value) {
    for (int i = hist.size() - 1; i >= start; i--) {
      if (hist.get(i).value == value) {
        return null;
      }
    }
    for (int i = hist.size() - 1; i >= start; i--) {
      Entry e = hist.get(i);
      if (e.candidates != null && e.value < 0 && contains(e.candidates, value)) {
        hist.set(i, new Entry(value, e.candidates));
        return null;
      }
    }
    return "read returned " + hex(value) + " but the legal values since its start were "
        + legal(start);
  }

  /** The end of a run: the surviving value must be {@code value}; null = legal. */
  String finalValue(int value) {
    Entry last = hist.get(hist.size() - 1);
    if (last.value == value || last.value < 0 && contains(last.candidates, value)) {
      return null;
    }
    return "final value " + hex(value) + " but the register holds " + legal(hist.size() - 1);
  }

  /**
   * A crash: {@code candidates} are the values that survive somewhere. If the current value is
   * among them and is the only one, nothing is lost.
   */
  void crash(Set<Integer> candidates, int storedRank) {
    int cur = current();
    if (candidates.size() == 1 && candidates.contains(cur)) {
      return;
    }
    int[] c = candidates.stream().mapToInt(Integer::intValue).toArray();
    hist.add(new Entry(-1, c));
    for (int i = 0; i < writes.size(); i++) {
      if (i > storedRank && !candidates.contains(writes.get(i))) {
        lost.add(writes.get(i));
      }
    }
  }

  private String legal(int start) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = start; i < hist.size(); i++) {
      Entry e = hist.get(i);
      if (e.candidates == null || e.value >= 0) {
        sb.append(hex(e.value));
      } else {
        sb.append("rollback to one of ");
        Arrays.stream(e.candidates).forEach(v -> sb.append(hex(v)).append(' '));
      }
      sb.append(i + 1 < hist.size() ? ", " : "]");
    }
    return sb.toString();
  }

  static String hex(int value) {
    return value == 0 ? "initial" : "n" + ((value >> 16) - 1) + ".w" + ((value >> 8) & 0xff);
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  void fingerprint(StringBuilder sb) {
    for (Entry e : hist) {
      sb.append(e.value);
      if (e.candidates != null) {
        sb.append(Arrays.toString(e.candidates));
      }
      sb.append(',');
    }
    sb.append("L").append(lost).append('|');
  }
}
