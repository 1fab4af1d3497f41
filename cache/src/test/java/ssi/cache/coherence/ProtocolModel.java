package ssi.cache.coherence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import ssi.cache.coherence.CacheCore.Completion;
import ssi.cache.coherence.CacheCore.Step;
import ssi.cache.coherence.CoherenceMsg.Data;
import ssi.cache.coherence.CoherenceMsg.Evict;
import ssi.cache.coherence.CoherenceMsg.Flush;
import ssi.cache.coherence.CoherenceMsg.Fwd;
import ssi.cache.coherence.CoherenceMsg.Grant;
import ssi.cache.coherence.CoherenceMsg.ToDirectory;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.DirectoryCore.PageView;

/**
 * One state of the exhaustive checker: the real {@link DirectoryCore} and {@link CacheCore}s, the
 * multiset of messages in flight (no order between any two), each node's remaining script, the
 * backing image, and the shadows the invariants are checked against. {@link #copy} forks a state
 * (the cores' package-private deep copies), {@link #fingerprint} renders it canonically.
 */
final class ProtocolModel {

  static final long OBJ = 7;
  static final int PAGE_SIZE = 4;
  static final String DIR = "dir";

  /** A scripted local operation. */
  enum Kind { READ, WRITE, EVICT, FLUSH }

  record Op(Kind kind, int page) {
    @Override
    public String toString() {
      return kind.name().charAt(0) + "" + page;
    }
  }

  /** What a run looks like: nodes' scripts, the protocol mode, crashes, seeded bugs. */
  record Config(String name, boolean mei, List<List<Op>> scripts, int pages, boolean crash,
      boolean lateWriteBacks, boolean seedSkipInvalidation, boolean seedAcceptStaleEpoch,
      boolean seedNoRecall, int maxRecords, boolean seedFoldForgetsOwner) {
  }

  /** A message in flight and its sender. */
  record Envelope(String from, CoherenceMsg msg) {
    String render() {
      return from + ">" + ProtocolModel.render(msg);
    }
  }

  /** A forward the model tracks until its requester processed the holder's Data. */
  record FwdRec(long page, long txn, String holder, String requester) {
  }

  /** An operation a node started and that has not completed. */
  record Outstanding(long opId, Op op, int start) {
  }

  /** The backing image: a map the model can fork, recording each write for the checks. */
  static final class Image implements BackingImage {
    final TreeMap<Long, PageData> pages = new TreeMap<>();
    final List<long[]> writes = new ArrayList<>(); // page, old code, new code

    @Override
    public PageData read(long page) {
      return pages.getOrDefault(page, new PageData(0, new byte[PAGE_SIZE]));
    }

    @Override
    public void write(long page, PageData data) {
      writes.add(new long[] {page, valueOf(read(page)), valueOf(data)});
      pages.put(page, data);
    }
  }

  final Config cfg;
  final int n;
  Image image = new Image();
  DirectoryCore dir;
  CacheCore[] caches;
  int crashed = -1;
  List<Envelope> inFlight = new ArrayList<>();
  int[] pc;
  Outstanding[] outstanding;
  List<FwdRec> fwds = new ArrayList<>();
  RegisterSpec[] spec;
  long nextOpId = 1;

  ProtocolModel(Config cfg) {
    this.cfg = cfg;
    this.n = cfg.scripts().size();
    dir = new DirectoryCore(OBJ, cfg.mei(), image, cfg.maxRecords());
    dir.testOnlyFoldForgetsOwner = cfg.seedFoldForgetsOwner();
    dir.testOnlySkipOneInvalidation = cfg.seedSkipInvalidation();
    dir.testOnlyAcceptStaleEpoch = cfg.seedAcceptStaleEpoch();
    dir.testOnlyNoRecall = cfg.seedNoRecall();
    caches = new CacheCore[n];
    for (int i = 0; i < n; i++) {
      caches[i] = new CacheCore(name(i), PAGE_SIZE);
    }
    pc = new int[n];
    outstanding = new Outstanding[n];
    spec = new RegisterSpec[cfg.pages()];
    for (int p = 0; p < cfg.pages(); p++) {
      spec[p] = new RegisterSpec();
    }
  }

  private ProtocolModel(ProtocolModel o) {
    cfg = o.cfg;
    n = o.n;
    image.pages.putAll(o.image.pages);
    dir = o.dir.copy(image);
    caches = new CacheCore[n];
    for (int i = 0; i < n; i++) {
      caches[i] = o.caches[i] == null ? null : o.caches[i].copy();
    }
    crashed = o.crashed;
    inFlight = new ArrayList<>(o.inFlight);
    pc = o.pc.clone();
    outstanding = o.outstanding.clone();
    fwds = new ArrayList<>(o.fwds);
    spec = new RegisterSpec[o.spec.length];
    for (int p = 0; p < spec.length; p++) {
      spec[p] = o.spec[p].copy();
    }
    nextOpId = o.nextOpId;
  }

  ProtocolModel copy() {
    return new ProtocolModel(this);
  }

  static String name(int i) {
    return "n" + i;
  }

  static int index(String node) {
    return node.charAt(1) - '0';
  }

  /** Whether node {@code i} may crash now: any live node, at any moment, once per run. */
  boolean canCrash(int i) {
    return cfg.crash() && crashed < 0 && alive(i);
  }

  boolean alive(int i) {
    return caches[i] != null;
  }

  static int valueOf(PageData d) {
    return RegisterSpec.code(d.bytes());
  }

  /** A write's bytes: unique per (writer, script position, page), so reads identify writes. */
  static byte[] bytesOf(int node, int seq, int page) {
    return new byte[] {(byte) (node + 1), (byte) (seq + 1), (byte) page, 0x5a};
  }

  // ---------------------------------------------------------------- actions

  /** The distinct deliverable messages (identical envelopes are one choice). */
  List<Envelope> deliverable() {
    List<Envelope> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Envelope e : inFlight) {
      if (seen.add(e.render())) {
        out.add(e);
      }
    }
    return out;
  }

  boolean canStart(int i) {
    return alive(i) && outstanding[i] == null && pc[i] < cfg.scripts().get(i).size();
  }

  /** Delivers one message; returns a violation or null. */
  String deliver(Envelope e) {
    inFlight.remove(e);
    if (e.msg() instanceof ToDirectory m) {
      return toDirectory(m);
    }
    ToNode m = (ToNode) e.msg();
    int to = index(m.to());
    if (m instanceof Data d) {
      fwds.removeIf(f -> f.page() == d.page() && f.txn() == d.txn()
          && f.requester().equals(d.to()));
      dir.forwardDone(d.page(), d.txn(), d.to());
    } else if (m instanceof Grant g) {
      dir.grantDelivered(g.page(), g.txn(), g.to()); // the transport's delivery report
    }
    return nodeStep(to, caches[to].handle(m));
  }

  private String toDirectory(ToDirectory m) {
    PageData wb = m instanceof Evict ev ? ev.dirty() : m instanceof Flush f ? f.data() : null;
    long epochBefore = epoch(m.page());
    // a write-back of a folded page is checked by serial and by who may hold it, not by epoch
    // (or of a page being recalled from the sender: its data counts as its recalled copy)
    boolean folded = dir.isFolded(m.page()) || dir.mayHoldFolded(m.page(), m.node());
    image.writes.clear();
    List<ToNode> out = dir.handle(m);
    if (wb != null) {
      long epoch = m instanceof Evict ev ? ev.epoch() : ((Flush) m).epoch();
      if (epoch != epochBefore && !image.writes.isEmpty() && !folded) {
        return "invariant 4: a write-back with stale epoch " + epoch + " (page epoch "
            + epochBefore + ") from " + m.node() + " was applied";
      }
    }
    String bad = checkImageWrites();
    return bad != null ? bad : dirOut(out);
  }

  private long epoch(long page) {
    for (PageView v : dir.view()) {
      if (v.page() == page) {
        return v.epoch();
      }
    }
    return 0;
  }

  private String checkImageWrites() {
    for (long[] w : image.writes) {
      RegisterSpec s = spec[(int) w[0]];
      int oldV = (int) w[1];
      int newV = (int) w[2];
      if (s.rank(newV) < s.rank(oldV)) {
        return "invariant 4: the store regressed from " + RegisterSpec.hex(oldV) + " to "
            + RegisterSpec.hex(newV) + " on page " + w[0];
      }
      if (s.isLost(newV)) {
        StringBuilder sb = new StringBuilder();
        s.fingerprint(sb);
        return "invariant 4: a value lost in the crash, " + RegisterSpec.hex(newV)
            + ", reached the store on page " + w[0] + " (history " + sb + ")";
      }
    }
    image.writes.clear();
    return null;
  }

  private String dirOut(List<ToNode> out) {
    for (ToNode m : out) {
      int to = index(m.to());
      if (m instanceof Fwd f) {
        if (!alive(to)) { // the transport reports a forward to a removed node failed
          String bad = dirOut(dir.forwardFailed(f.page(), f.txn(), f.requester()));
          if (bad != null) {
            return bad;
          }
          continue;
        }
        fwds.add(new FwdRec(f.page(), f.txn(), f.to(), f.requester()));
      }
      if (alive(to)) {
        inFlight.add(new Envelope(DIR, m));
      }
    }
    return null;
  }

  private String nodeStep(int i, Step step) {
    for (CoherenceMsg m : step.send()) {
      if (m instanceof ToNode t && !alive(index(t.to()))) {
        continue; // lost with its receiver (the model dropped the receiver's forwards already)
      }
      inFlight.add(new Envelope(name(i), m));
    }
    for (Completion c : step.completed()) {
      Outstanding o = outstanding[i];
      if (o == null || o.opId() != c.opId()) {
        return name(i) + ": completion of op " + c.opId() + " that is not outstanding";
      }
      outstanding[i] = null;
      if (o.op().kind() == Kind.READ) {
        if (c.data() == null) {
          return name(i) + ": read completed without data";
        }
        String bad = spec[o.op().page()].read(o.start(), valueOf(c.data()));
        if (bad != null) {
          return "invariant 3: " + name(i) + " " + o.op() + ": " + bad;
        }
      } else if (o.op().kind() == Kind.WRITE) {
        spec[o.op().page()].write(RegisterSpec.code(bytesOf(i, pc[i] - 1, o.op().page())));
      }
    }
    return null;
  }

  /** Node {@code i} starts its next scripted operation. */
  String start(int i) {
    Op op = cfg.scripts().get(i).get(pc[i]++);
    long id = nextOpId++;
    CacheCore c = caches[i];
    Step step;
    switch (op.kind()) {
      case READ -> {
        outstanding[i] = new Outstanding(id, op, spec[op.page()].now());
        step = c.read(id, OBJ, op.page());
      }
      case WRITE -> {
        outstanding[i] = new Outstanding(id, op, spec[op.page()].now());
        step = c.write(id, OBJ, op.page(), bytesOf(i, pc[i] - 1, op.page()));
      }
      case FLUSH -> {
        outstanding[i] = new Outstanding(id, op, spec[op.page()].now());
        step = c.flush(id, OBJ, op.page(), true);
      }
      default -> step = c.evict(OBJ, op.page());
    }
    return nodeStep(i, step);
  }

  /**
   * Node {@code i} crashes and is removed: its state and the messages to and from it are gone
   * (with {@code lateWriteBacks}, its write-backs to the directory stay in flight and may still
   * arrive, as from a partitioned node), the directory is told, and every forward it had to
   * serve whose Data its requester had not processed is reported failed.
   */
  String crash(int i) {
    String dead = name(i);
    crashed = i;
    caches[i] = null;
    outstanding[i] = null;
    pc[i] = cfg.scripts().get(i).size();
    List<Set<Integer>> surv = new ArrayList<>();
    for (int p = 0; p < cfg.pages(); p++) {
      surv.add(survivors(p));
    }
    inFlight.removeIf(e -> {
      if (e.msg() instanceof ToNode t && t.to().equals(dead)) {
        return true;
      }
      if (!e.from().equals(dead)) {
        return false;
      }
      boolean writeBack = e.msg() instanceof Evict ev && ev.dirty() != null
          || e.msg() instanceof Flush f && f.data() != null;
      return !(cfg.lateWriteBacks() && writeBack);
    });
    for (int p = 0; p < cfg.pages(); p++) {
      spec[p].crash(surv.get(p), spec[p].rank(valueOf(image.read(p))));
    }
    image.writes.clear();
    String bad = dirOut(dir.nodeRemoved(dead));
    if (bad != null) {
      return bad;
    }
    List<FwdRec> failed = fwds.stream().filter(f -> f.holder().equals(dead)).toList();
    fwds.removeIf(f -> f.holder().equals(dead) || f.requester().equals(dead));
    for (FwdRec f : failed) {
      bad = dirOut(dir.forwardFailed(f.page(), f.txn(), f.requester()));
      if (bad != null) {
        return bad;
      }
    }
    return checkImageWrites();
  }

  /**
   * The values page {@code p} may have after node {@code crashed} dies (called just before its
   * messages are dropped): the current value alone if a live node (or a message from a live
   * party) holds it exclusively or the store has it, else every surviving value at least as new
   * as the stored one. Data a live holder sent to the dead node counts as kept: the directory
   * gives ownership back to that holder, whose invalid copy still has it.
   */
  private Set<Integer> survivors(int p) {
    RegisterSpec s = spec[p];
    int stored = valueOf(image.read(p));
    int cur = s.current();
    Set<Integer> all = new TreeSet<>();
    all.add(stored);
    boolean curSafe = cur == stored;
    for (int i = 0; i < n; i++) {
      if (alive(i) && caches[i].data(OBJ, p) != null) {
        int v = valueOf(caches[i].data(OBJ, p));
        all.add(v);
        curSafe |= v == cur && caches[i].state(OBJ, p).exclusive();
      }
    }
    for (Envelope e : inFlight) {
      CoherenceMsg m = e.msg();
      if (m.page() != p || e.from().equals(name(crashed))
          || m instanceof ToNode t && t.to().equals(name(crashed)) && !(m instanceof Data)) {
        continue;
      }
      PageData d = m instanceof Grant g ? g.data() : m instanceof Data x ? x.data()
          : m instanceof Evict ev ? ev.dirty() : m instanceof Flush f ? f.data()
          : m instanceof CoherenceMsg.InvalAck a ? a.data() : null;
      if (d != null) {
        int v = valueOf(d);
        all.add(v);
        boolean excl = m instanceof Grant g ? g.state().exclusive()
            : m instanceof Data x ? x.state().exclusive() : true;
        curSafe |= v == cur && excl;
      }
    }
    if (curSafe) {
      return Set.of(cur);
    }
    int storedRank = s.rank(stored);
    all.removeIf(v -> s.rank(v) < storedRank);
    return all;
  }

  // ---------------------------------------------------------------- invariants

  /** Invariants 2 and the directory's superset of reality, in every state; null = hold. */
  String checkState() {
    Set<String> pendingFwd = new HashSet<>(); // holder/page of forwards not yet served
    for (Envelope e : inFlight) {
      if (e.msg() instanceof Fwd f) {
        pendingFwd.add(f.to() + "/" + f.page());
      }
    }
    for (FwdRec f : fwds) {
      // a forward the holder deferred (its own grant pending) has left the network
      boolean served = inFlight.stream().anyMatch(e -> e.msg() instanceof Data d
          && d.page() == f.page() && d.txn() == f.txn() && d.to().equals(f.requester()));
      if (!served && alive(index(f.holder()))) {
        pendingFwd.add(f.holder() + "/" + f.page());
      }
    }
    List<PageView> views = dir.view();
    for (int p = 0; p < cfg.pages(); p++) {
      int excl = 0;
      int shared = 0;
      PageView v = null;
      for (PageView x : views) {
        if (x.page() == p) {
          v = x;
        }
      }
      for (int i = 0; i < n; i++) {
        if (!alive(i)) {
          continue;
        }
        Mesi st = caches[i].state(OBJ, p);
        if (st.exclusive()) {
          excl++;
        } else if (st == Mesi.S) {
          shared++;
        }
        if (st == Mesi.I) {
          continue;
        }
        String who = name(i);
        boolean owner = v != null && who.equals(v.owner());
        boolean sharer = v != null && v.sharers().contains(who);
        boolean handedOff = pendingFwd.contains(who + "/" + p)
            || dir.mayHoldFolded(p, who)
            || caches[i].forwardDeferred(OBJ, p); // also of a requester that died since
        if (st.exclusive() ? !(owner || handedOff) : !(owner || sharer || handedOff)) {
          return "directory: " + who + " holds page " + p + " in " + st
              + " but the directory records owner=" + (v == null ? null : v.owner())
              + " sharers=" + (v == null ? List.of() : v.sharers());
        }
      }
      if (excl > 1 || excl == 1 && shared > 0) {
        return "invariant 2: page " + p + " is held " + states(p);
      }
    }
    return null;
  }

  private String states(int p) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(name(i)).append('=').append(alive(i) ? caches[i].state(OBJ, p) : "dead").append(' ');
    }
    return sb.toString().trim();
  }

  /** Whether nothing is left to do (messages from a dead node may stay undelivered forever). */
  boolean quiescent() {
    for (Envelope e : inFlight) {
      if (crashed < 0 || !e.from().equals(name(crashed))) {
        return false;
      }
    }
    for (int i = 0; i < n; i++) {
      if (canStart(i)) {
        return false;
      }
    }
    return true;
  }

  /** At the end of a run: no hang, the directory idle, the data not lost; null = hold. */
  String checkEnd() {
    for (int i = 0; i < n; i++) {
      if (outstanding[i] != null) {
        return "hang: " + name(i) + "'s " + outstanding[i].op() + " never completed";
      }
    }
    if (!fwds.isEmpty()) {
      return "hang: forwards never answered " + fwds;
    }
    for (PageView v : dir.view()) {
      if (v.busy() || v.waiting() > 0) {
        return "hang: the directory is still busy with page " + v.page() + ": " + v;
      }
    }
    for (int p = 0; p < cfg.pages(); p++) {
      PageData stored = image.read(p);
      PageData value = stored;
      PageView view = null;
      for (PageView v : dir.view()) {
        view = v.page() == p ? v : view;
      }
      if (view != null && view.owner() != null && alive(index(view.owner()))
          && caches[index(view.owner())].state(OBJ, p) == Mesi.I) {
        value = caches[index(view.owner())].copyData(OBJ, p); // ownership given back
      }
      for (int i = 0; i < n; i++) {
        if (!alive(i)) {
          continue;
        }
        if (caches[i].busy(OBJ, p)) {
          return "hang: " + name(i) + " is still busy with page " + p;
        }
        Mesi st = caches[i].state(OBJ, p);
        PageData d = caches[i].data(OBJ, p);
        if (st == Mesi.M) {
          value = d;
        } else if (st != Mesi.I && !d.equals(stored)) {
          return "clean copy differs from the store at the end: " + name(i) + " holds page " + p
              + " in " + st + " as " + RegisterSpec.hex(valueOf(d)) + "#" + d.serial()
              + ", the store has " + RegisterSpec.hex(valueOf(stored)) + "#" + stored.serial();
        }
      }
      String bad = spec[p].finalValue(valueOf(value));
      if (bad != null) {
        return "data lost on page " + p + ": " + bad;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- fingerprint

  String fingerprint() {
    StringBuilder sb = new StringBuilder(1024);
    dir.fingerprint(sb);
    for (int i = 0; i < n; i++) {
      if (caches[i] == null) {
        sb.append("dead|");
      } else {
        caches[i].fingerprint(sb);
      }
      sb.append(pc[i]).append(outstanding[i]).append('|');
    }
    image.pages.forEach((p, d) -> sb.append(p).append('=').append(d.serial())
        .append(Arrays.toString(d.bytes())));
    sb.append('|');
    inFlight.stream().map(Envelope::render).sorted().forEach(s -> sb.append(s).append(';'));
    sb.append('|').append(fwds.stream().map(FwdRec::toString).sorted().toList());
    for (RegisterSpec s : spec) {
      s.fingerprint(sb);
    }
    sb.append(crashed).append('/').append(nextOpId);
    return sb.toString();
  }

  static String render(CoherenceMsg m) {
    String s = m.toString();
    PageData d = m instanceof Grant g ? g.data() : m instanceof Data x ? x.data()
        : m instanceof Evict ev ? ev.dirty() : m instanceof Flush f ? f.data()
          : m instanceof CoherenceMsg.InvalAck a ? a.data() : null;
    return d == null ? s : s + "{" + RegisterSpec.hex(valueOf(d)) + "#" + d.serial() + "}";
  }
}
