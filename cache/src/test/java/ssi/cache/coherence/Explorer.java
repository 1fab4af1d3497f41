package ssi.cache.coherence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import ssi.cache.coherence.ProtocolModel.Envelope;

/**
 * Depth-first search over every interleaving of a {@link ProtocolModel}: from each state, deliver
 * any one message in flight, let any idle node start its next operation, or (once per run) crash
 * any live node. States are deduplicated by a 64-bit hash of their canonical fingerprint; the
 * first violation stops the search and is reported with the trace that reached it.
 */
final class Explorer {

  /** The outcome of a search. */
  record Result(String config, long states, long transitions, long endStates, int maxDepth,
      String violation, List<String> trace) {
  }

  /** An immutable trace as a linked list (shared by siblings). */
  private record Trace(Trace parent, String action, int depth) {
    List<String> list() {
      List<String> out = new ArrayList<>();
      for (Trace t = this; t != null && t.action != null; t = t.parent) {
        out.add(0, t.action);
      }
      return out;
    }
  }

  private record Node(ProtocolModel model, Trace trace) {
  }

  private final long maxStates;

  Explorer(long maxStates) {
    this.maxStates = maxStates;
  }

  Result explore(ProtocolModel.Config cfg) {
    LongSet seen = new LongSet();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    ProtocolModel init = new ProtocolModel(cfg);
    seen.add(hash(init.fingerprint()));
    stack.push(new Node(init, new Trace(null, null, 0)));
    long transitions = 0;
    long ends = 0;
    int maxDepth = 0;
    while (!stack.isEmpty()) {
      Node cur = stack.pop();
      ProtocolModel m = cur.model();
      maxDepth = Math.max(maxDepth, cur.trace().depth());
      if (m.quiescent()) {
        ends++;
        String bad = m.checkEnd();
        if (bad != null) {
          return new Result(cfg.name(), seen.size(), transitions, ends, maxDepth, bad,
              cur.trace().list());
        }
      }
      List<String> labels = new ArrayList<>();
      List<ProtocolModel> next = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Envelope e : m.deliverable()) {
        ProtocolModel c = m.copy();
        labels.add("deliver " + e.render());
        errors.add(run(() -> c.deliver(e)));
        next.add(c);
      }
      for (int i = 0; i < m.n; i++) {
        if (m.canStart(i)) {
          int node = i;
          ProtocolModel c = m.copy();
          labels.add(ProtocolModel.name(i) + " starts "
              + cfg.scripts().get(i).get(m.pc[i]));
          errors.add(run(() -> c.start(node)));
          next.add(c);
        }
      }
      if (m.crashed < 0) {
        for (int i = 0; i < m.n; i++) {
          if (m.canCrash(i)) {
            int node = i;
            ProtocolModel c = m.copy();
            labels.add("CRASH " + ProtocolModel.name(i));
            errors.add(run(() -> c.crash(node)));
            next.add(c);
          }
        }
      }
      for (int k = 0; k < next.size(); k++) {
        transitions++;
        Trace t = new Trace(cur.trace(), labels.get(k), cur.trace().depth() + 1);
        String bad = errors.get(k);
        if (bad == null) {
          bad = run(next.get(k)::checkState);
        }
        if (bad != null) {
          return new Result(cfg.name(), seen.size(), transitions, ends, maxDepth, bad, t.list());
        }
        if (seen.add(hash(next.get(k).fingerprint()))) {
          if (seen.size() > maxStates) {
            return new Result(cfg.name(), seen.size(), transitions, ends, maxDepth,
                "state bound " + maxStates + " exceeded", List.of());
          }
          stack.push(new Node(next.get(k), t));
        }
      }
    }
    return new Result(cfg.name(), seen.size(), transitions, ends, maxDepth, null, List.of());
  }

  private interface Action {
    String run();
  }

  private static String run(Action a) {
    try {
      return a.run();
    } catch (RuntimeException e) {
      return "exception: " + e;
    }
  }

  /** FNV-1a over the chars, then a final mix: 64 bits, collisions negligible at 10^7 states. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** An open-addressing set of longs (the visited states' hashes), 0 reserved. */
  static final class LongSet {
    private long[] table = new long[1 << 16];
    private int size;

    boolean add(long v) {
      if (v == 0) {
        v = 1;
      }
      if (size * 2 >= table.length) {
        grow();
      }
      int mask = table.length - 1;
      int i = (int) (v ^ (v >>> 32)) & mask;
      while (table[i] != 0) {
        if (table[i] == v) {
          return false;
        }
        i = (i + 1) & mask;
      }
      table[i] = v;
      size++;
      return true;
    }

    int size() {
      return size;
    }

    private void grow() {
      long[] old = table;
      table = new long[old.length * 2];
      size = 0;
      for (long v : old) {
        if (v != 0) {
          add(v);
        }
      }
    }
  }
}
