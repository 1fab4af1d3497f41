package ssi.files.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.DirEntry;
import ssi.cache.store.EmbeddedStore;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.PageStores;
import ssi.cluster.mesh.Mesh;
import ssi.files.locks.FileObject;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.namespace.Directory;
import ssi.files.namespace.Namespace;
import ssi.cluster.testing.ClusterTestKits;
import ssi.testing.LogCapture;

/**
 * The namespace and the file API end to end: two cluster nodes over Artery in one JVM, the real
 * page store on an embedded PostgreSQL, messages serialized (Kryo) even locally.
 */
@ExtendWith(LogCapture.class)
class FilesClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static EmbeddedStore store;
  private static final List<ActorTestKit> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    store = EmbeddedStore.startTemporary();
    nodes.addAll(ClusterTestKits.start("FilesClusterTest", 2, """
        ssi.store.url = "%s"
        # The glimpse test looks at what is not committed yet; fsync and revokes still commit.
        ssi.files.attribute-write-back = 1h
        """.formatted(store.url())));
    for (ActorTestKit n : nodes) {
      Mesh.get(n.system());
      PageCache.get(n.system());
      Directory.init(n.system());
      FileObject.init(n.system());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterTestKits.stop(nodes);
    store.close();
  }

  static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  static Namespace ns(int i) {
    return Namespace.get(sys(i));
  }

  static Files files(int i) {
    return Files.get(sys(i));
  }

  static <T> Reply<T> get(CompletionStage<Reply<T>> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static <T> T ok(CompletionStage<Reply<T>> stage) throws Exception {
    Reply<T> r = get(stage);
    assertEquals(Errno.OK, r.errno(), "reply " + r);
    return r.value();
  }

  static void fails(Errno expected, CompletionStage<? extends Reply<?>> stage) throws Exception {
    assertEquals(expected, stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)
        .errno());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> names(List<DirEntry> entries) {
    return entries.stream().map(DirEntry::name).toList();
  }

  @Test
  void namespaceOperationsAndTheirErrors() throws Exception {
    GlobalFileHandle root = ns(0).root();
    GlobalFileHandle d = ok(ns(0).mkdir(root, "ns-ops"));
    GlobalFileHandle f = ok(ns(0).create(d, "a"));
    GlobalFileHandle sub = ok(ns(1).mkdir(d, "sub"));
    assertEquals(List.of("a", "sub"), names(ok(ns(1).readdir(d))));
    assertEquals(f, ok(ns(1).open(d, "a")));
    DirEntry e = ok(ns(1).lookup(d, "sub"));
    assertEquals(ObjectKind.DIRECTORY, e.kind());
    assertTrue(f.objectId() >= 1L << 32 && sub.objectId() != f.objectId(), "ids from the sequence");

    fails(Errno.EEXIST, ns(1).create(d, "a"));
    fails(Errno.EEXIST, ns(0).mkdir(d, "sub"));
    fails(Errno.ENOENT, ns(0).lookup(d, "nope"));
    fails(Errno.ENOENT, ns(0).open(d, "nope"));
    fails(Errno.ENOENT, ns(0).unlink(d, "nope"));
    fails(Errno.ENOTDIR, ns(0).readdir(f));
    fails(Errno.ENOTDIR, ns(0).create(f, "x"));
    fails(Errno.ENOTDIR, ns(0).rmdir(d, "a"));
    fails(Errno.EISDIR, ns(0).unlink(d, "sub"));
    fails(Errno.EISDIR, ns(0).open(d, "sub"));
    for (String bad : List.of("", ".", "..", "x/y", "n".repeat(256), "é".repeat(128))) {
      fails(Errno.EINVAL, ns(0).create(d, bad));
      fails(Errno.EINVAL, ns(0).mkdir(d, bad));
      fails(Errno.EINVAL, ns(0).lookup(d, bad));
      fails(Errno.EINVAL, ns(0).rename(d, "a", d, bad));
    }
    ok(ns(0).create(d, "n".repeat(255)));
    ok(ns(0).create(sub, "inner"));
    fails(Errno.ENOTEMPTY, ns(1).rmdir(d, "sub"));
    fails(Errno.EINVAL, ns(0).rename(d, "sub", sub, "loop"));
    fails(Errno.EISDIR, ns(0).rename(d, "a", d, "sub"));
    GlobalFileHandle empty = ok(ns(0).mkdir(d, "empty"));
    fails(Errno.ENOTDIR, ns(0).rename(d, "empty", d, "a"));
    ok(ns(0).unlink(sub, "inner"));
    ok(ns(1).rmdir(d, "sub"));
    fails(Errno.ESTALE, ns(0).readdir(sub));
    fails(Errno.ESTALE, ns(0).create(sub, "late"));
    fails(Errno.ESTALE, ns(0).stat(sub));
    ok(ns(0).rmdir(d, "empty"));
    fails(Errno.ESTALE, ns(1).stat(empty));
    // rename replacing a file, and across directories
    GlobalFileHandle b = ok(ns(0).create(d, "b"));
    ok(ns(0).rename(d, "a", d, "b"));
    assertEquals(f, ok(ns(1).open(d, "b")));
    fails(Errno.ESTALE, ns(0).stat(b));
    GlobalFileHandle other = ok(ns(1).mkdir(root, "ns-ops-other"));
    ok(ns(1).rename(d, "b", other, "moved"));
    assertEquals(f, ok(ns(0).open(other, "moved")));
    fails(Errno.ENOENT, ns(0).lookup(d, "b"));
    // paths
    assertEquals(f, Namespace.handle(ok(ns(1).resolve("/ns-ops-other/moved"))));
    fails(Errno.ENOENT, ns(1).resolve("/ns-ops-other/none"));
    fails(Errno.ENOTDIR, ns(1).resolve("/ns-ops-other/moved/x"));
    fails(Errno.EINVAL, ns(1).resolve("/ns-ops/../etc"));
    fails(Errno.EINVAL, ns(1).resolve("/ns-ops//x"));
    Namespace.Parent p = ok(ns(0).parent("/deep/er/file", true));
    assertEquals("file", p.name());
    assertEquals(p.dir(), Namespace.handle(ok(ns(1).resolve("/deep/er"))));
  }

  @Test
  void aFileWrittenOnOneNodeIsReadOnTheOtherWithStat() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "cross-node"));
    byte[] data = new byte[10_000];
    new Random(1).nextBytes(data);
    FileStat s = ok(files(0).write(f, 100, data));
    assertEquals(10_100, s.length());
    assertEquals(ObjectKind.FILE, s.kind());
    assertArrayEquals(data, ok(files(1).read(f, 100, 10_000)));
    assertArrayEquals(new byte[100], ok(files(1).read(f, 0, 100)), "a hole reads as zeros");
    assertEquals(0, ok(files(1).read(f, 20_000, 10)).length, "nothing past the end");
    assertEquals(50, ok(files(1).read(f, 10_050, 1000)).length, "short read at the end");
    assertEquals(10_100, ok(files(1).stat(f)).length());
    ok(files(1).fsync(f));
    ok(files(0).truncate(f, 10));
    assertEquals(10, ok(files(0).stat(f)).length());
    ok(files(1).truncate(f, 20));
    assertArrayEquals(new byte[20], ok(files(0).read(f, 0, 20)), "a grown tail reads as zeros");
    fails(Errno.EINVAL, files(0).read(f, -1, 10));
    fails(Errno.EINVAL, files(0).write(f, -1, data));
    fails(Errno.EINVAL, files(0).truncate(f, -1));
    fails(Errno.EISDIR, files(0).write(ns(0).root(), 0, data));
    ok(files(0).close(f));
  }

  @Test
  void aHandleGoesStaleAfterDeleteAndRecreate() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "stale"));
    ok(files(0).write(f, 0, bytes("x")));
    ok(ns(1).unlink(ns(1).root(), "stale"));
    fails(Errno.ESTALE, files(1).read(f, 0, 1));
    fails(Errno.ESTALE, files(0).write(f, 0, bytes("y")));
    fails(Errno.ESTALE, files(0).append(f, bytes("y")));
    // The same id created again: a new generation, the old handle stays stale.
    var meta = ok(PageStores.get(sys(0)).store().orElseThrow().createObject(f.objectId(),
        ObjectKind.FILE));
    assertEquals(f.generation() + 1, meta.generation());
    fails(Errno.ESTALE, files(0).stat(f));
    fails(Errno.ESTALE, files(1).read(f, 0, 1));
    fails(Errno.ESTALE, files(1).truncate(f, 0));
    fails(Errno.ESTALE, files(1).close(f));
    GlobalFileHandle fresh = new GlobalFileHandle(f.objectId(), meta.generation());
    assertEquals(0, ok(files(1).stat(fresh)).length());
  }

  @Test
  void concurrentAppendsFromBothNodesNeverOverwriteEachOther() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "appends"));
    int perNode = 40;
    int size = 100; // not a divisor of the page size: records straddle pages
    List<CompletableFuture<Reply<Long>>> all = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      for (int n = 0; n < 2; n++) {
        all.add(files(n).append(f, record(n, i, size)).toCompletableFuture());
      }
    }
    Set<Long> offsets = new HashSet<>();
    for (CompletableFuture<Reply<Long>> a : all) {
      Reply<Long> r = a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(Errno.OK, r.errno());
      assertTrue(offsets.add(r.value()), "two appends at one offset");
    }
    int total = 2 * perNode * size;
    assertEquals(total, ok(files(1).stat(f)).length());
    byte[] content = ok(files(1).read(f, 0, total));
    Set<String> seen = new HashSet<>();
    for (int at = 0; at < total; at += size) {
      ByteBuffer rec = ByteBuffer.wrap(content, at, size);
      int n = rec.getInt();
      int i = rec.getInt();
      assertArrayEquals(record(n, i, size), java.util.Arrays.copyOfRange(content, at, at + size),
          "a whole record at " + at);
      assertTrue(seen.add(n + "/" + i), "record appended once");
    }
    assertEquals(2 * perNode, seen.size());
  }

  static byte[] record(int node, int seq, int size) {
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(node).putInt(seq);
    while (b.hasRemaining()) {
      b.put((byte) (node * 31 + seq));
    }
    return b.array();
  }

  @Test
  void renameUnderAConcurrentReaderIsNeverInBothOrNeitherPlace() throws Exception {
    GlobalFileHandle a = ok(ns(0).mkdir(ns(0).root(), "ren-a"));
    GlobalFileHandle b = ok(ns(0).mkdir(ns(0).root(), "ren-b"));
    ok(ns(0).create(a, "x"));
    AtomicBoolean stop = new AtomicBoolean();
    List<String> bad = new java.util.concurrent.CopyOnWriteArrayList<>();
    int[] reads = new int[1];
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try {
        while (!stop.get()) {
          // within one directory: a readdir is one snapshot
          List<String> inA = names(ok(ns(1).readdir(a)));
          long xs = inA.stream().filter(n -> n.equals("x") || n.equals("y")).count();
          // across directories: one snapshot of both
          List<DirEntry> both = ok(ns(1).snapshot(List.of(a, b)));
          long total = both.stream().filter(e -> e.name().equals("x") || e.name().equals("y")
              || e.name().equals("z")).count();
          if (total != 1 || xs > 1) {
            bad.add(inA + " / " + both);
          }
          reads[0]++;
        }
      } catch (Exception e) {
        bad.add(e.toString());
      }
    });
    for (int i = 0; i < 30; i++) {
      ok(ns(0).rename(a, "x", a, "y"));   // within the directory
      ok(ns(0).rename(a, "y", b, "z"));   // across directories
      ok(ns(1).rename(b, "z", a, "x"));   // back, from the other node
    }
    stop.set(true);
    reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of(), bad);
    assertTrue(reads[0] > 0);
  }

  /** One 64 KiB record: sequence number, CRC32 of the rest, bytes derived from the number. */
  static byte[] record(long seq) {
    byte[] r = new byte[64 * 1024];
    new Random(seq).nextBytes(r);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(r, 16, r.length - 16);
    ByteBuffer.wrap(r).putLong(seq).putLong(crc.getValue());
    return r;
  }

  /** Whether {@code r} is one whole record (not a mix of two writes). */
  static boolean whole(byte[] r) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(r, 16, r.length - 16);
    ByteBuffer b = ByteBuffer.wrap(r);
    b.getLong();
    return b.getLong() == crc.getValue();
  }

  static long storedLength(GlobalFileHandle f) throws Exception {
    return ok(PageStores.get(sys(0)).store().orElseThrow().getObject(f.objectId())).length();
  }

  @Test
  void statGlimpsesTheLengthAWriterDefersWithoutTakingItsExtentAndReadsSeeEveryByte()
      throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "glimpsed"));
    byte[] rec = new byte[100];
    for (int i = 0; i < 3; i++) {
      java.util.Arrays.fill(rec, (byte) ('a' + i));
      assertEquals(100L * i, ok(files(0).append(f, rec)));
    }
    assertEquals(0, storedLength(f), "node 0 holds the end of the file and defers the length");
    FileStat st = ok(files(1).stat(f));
    assertEquals(300, st.length(), "node 1's stat glimpses it");
    var extents = ssi.files.locks.NodeLocks.get(sys(0)).local().get(f.objectId()).extents();
    assertEquals(1, extents.size());
    assertTrue(!extents.get(0).revoking(), "the glimpse took nothing away: " + extents);
    assertEquals(0, storedLength(f));

    // A read on node 1 takes the range: node 0 commits the length, then lets go.
    byte[] all = ok(files(1).read(f, 0, 1000));
    assertEquals(300, all.length);
    assertEquals('a', all[0]);
    assertEquals('c', all[299]);
    assertEquals(300, storedLength(f));

    // Node 0 appends again past node 1's shared range, defers again; fsync commits.
    assertEquals(300L, ok(files(0).append(f, rec)));
    assertEquals(400, ok(files(1).stat(f)).length());
    assertEquals(300, storedLength(f));
    ok(files(0).fsync(f));
    assertEquals(400, storedLength(f), "fsync commits the deferred length");
    assertEquals(400, ok(files(1).read(f, 0, 1000)).length);
    assertEquals(50, ok(files(0).truncate(f, 50)).length());
    assertEquals(50, ok(files(1).stat(f)).length());
    assertEquals(50, ok(files(0).read(f, 0, 1000)).length);
  }

  @Test
  void aReadNeverSeesPartOfAMultiPageWriteOnTheOtherNode() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "torn"));
    ok(files(0).write(f, 0, record(0)));
    AtomicBoolean stop = new AtomicBoolean();
    List<String> torn = new java.util.concurrent.CopyOnWriteArrayList<>();
    int[] reads = new int[2];
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      int n = node;
      readers.add(CompletableFuture.runAsync(() -> {
        try {
          while (!stop.get()) {
            byte[] got = ok(files(n).read(f, 0, 64 * 1024));
            if (!whole(got)) {
              torn.add("node " + n + " read a torn record after " + ByteBuffer.wrap(got)
                  .getLong());
            }
            reads[n]++;
          }
        } catch (Exception e) {
          torn.add(e.toString());
        }
      }));
    }
    for (long seq = 1; seq <= 60; seq++) {
      ok(files((int) (seq % 2)).write(f, 0, record(seq)));
    }
    stop.set(true);
    CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of(), torn);
    assertTrue(reads[0] > 0 && reads[1] > 0, "reads " + reads[0] + ", " + reads[1]);
    assertEquals(60, ByteBuffer.wrap(ok(files(1).read(f, 0, 16))).getLong());
  }

  @Test
  void writesAndAppendsBiggerThanOneMessageArriveWholeFromEitherNode() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "big"));
    byte[] a = new byte[1024 * 1024 + 123]; // spans 257 pages and many cache messages
    byte[] b = new byte[700_000];
    new Random(3).nextBytes(a);
    new Random(4).nextBytes(b);
    // One of the two nodes is remote from the file's entity: its data crosses in parts.
    ok(files(0).write(f, 0, a));
    assertEquals(a.length, (long) ok(files(1).append(f, b)));
    ok(files(1).write(f, 10, java.util.Arrays.copyOf(b, 300_000)));
    byte[] want = new byte[a.length + b.length];
    System.arraycopy(a, 0, want, 0, a.length);
    System.arraycopy(b, 0, want, a.length, b.length);
    System.arraycopy(b, 0, want, 10, 300_000);
    for (int n = 0; n < 2; n++) {
      assertArrayEquals(want, ok(files(n).read(f, 0, want.length)), "node " + n);
    }
  }

  @Test
  void randomOperationsMatchALocalFile() throws Exception {
    GlobalFileHandle f = ok(ns(0).create(ns(0).root(), "differential"));
    java.nio.file.Path local = java.nio.file.Files.createTempFile("ssi-diff", ".bin");
    Random rnd = new Random(42);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(local,
        java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      for (int step = 0; step < 150; step++) {
        int node = rnd.nextInt(2);
        int op = rnd.nextInt(4);
        String what = "step " + step + " op " + op + " node " + node;
        if (op == 0) {
          long off = rnd.nextInt(20_000);
          byte[] data = new byte[1 + rnd.nextInt(6000)];
          rnd.nextBytes(data);
          ok(files(node).write(f, off, data));
          ch.write(ByteBuffer.wrap(data), off);
        } else if (op == 1) {
          byte[] data = new byte[1 + rnd.nextInt(3000)];
          rnd.nextBytes(data);
          long at = ok(files(node).append(f, data));
          assertEquals(ch.size(), at, what);
          ch.write(ByteBuffer.wrap(data), ch.size());
        } else if (op == 2) {
          long len = rnd.nextInt(25_000);
          ok(files(node).truncate(f, len));
          if (len < ch.size()) {
            ch.truncate(len);
          } else if (len > ch.size()) {
            ch.write(ByteBuffer.wrap(new byte[(int) (len - ch.size())]), ch.size());
          }
        } else {
          long off = rnd.nextInt(26_000);
          int len = rnd.nextInt(8000);
          byte[] got = ok(files(node).read(f, off, len));
          assertArrayEquals(localRead(ch, off, len), got, what);
        }
        assertEquals(ch.size(), ok(files(1 - node).stat(f)).length(), what);
      }
      int size = (int) ch.size();
      assertArrayEquals(localRead(ch, 0, size), ok(files(0).read(f, 0, size)), "final bytes");
      assertArrayEquals(localRead(ch, 0, size), ok(files(1).read(f, 0, size)), "final bytes");
    } finally {
      java.nio.file.Files.deleteIfExists(local);
    }
  }

  static byte[] localRead(java.nio.channels.FileChannel ch, long off, int len) throws Exception {
    int n = (int) Math.max(0, Math.min(len, ch.size() - off));
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      ch.read(b, off + b.position());
    }
    return b.array();
  }
}
