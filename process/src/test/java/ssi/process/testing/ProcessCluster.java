package ssi.process.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.files.api.Files;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.locks.FileObject;
import ssi.cache.store.DirEntry;
import ssi.files.namespace.Directory;
import ssi.files.namespace.Namespace;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;

/**
 * An in-JVM cluster that runs processes, for the process module's tests: an embedded
 * PostgreSQL page store and {@code n} nodes (real Artery, every message through Kryo) with the
 * mesh, page cache, directories, file lock servers and process tables started, and the
 * questions those tests ask (a process's info once ready, a cluster file's content).
 */
public final class ProcessCluster {

  private final String name;
  private final String conf;
  private final EmbeddedStore store;
  private final List<ActorTestKit> nodes = new ArrayList<>();

  private ProcessCluster(String name, String conf, EmbeddedStore store) {
    this.name = name;
    this.conf = conf;
    this.store = store;
  }

  /** {@code n} nodes named {@code name}, with {@code extra} config on top of the store's. */
  public static ProcessCluster start(String name, int n, String extra) throws Exception {
    EmbeddedStore store = EmbeddedStore.startTemporary();
    String conf = """
        ssi.store.url = "%s"
        ssi.process.block-poll = 100ms
        """.formatted(store.url()) + extra;
    ProcessCluster c = new ProcessCluster(name, conf, store);
    c.nodes.addAll(ClusterTestKits.start(name, n, conf));
    c.nodes.forEach(ProcessCluster::startSubsystems);
    return c;
  }

  /** One more node, with {@code extra} config on top of the cluster's; answers it. */
  public ActorTestKit join(String extra) {
    ActorTestKit kit = ClusterTestKits.join(name, nodes.get(0), nodes.size() + 1,
        conf + "\n" + extra);
    startSubsystems(kit);
    nodes.add(kit);
    return kit;
  }

  private static void startSubsystems(ActorTestKit n) {
    Mesh.get(n.system());
    PageCache.get(n.system());
    Directory.init(n.system());
    FileObject.init(n.system());
    Processes.get(n.system());
  }

  /** The nodes, in start order (a live list). */
  public List<ActorTestKit> nodes() {
    return nodes;
  }

  /** Node {@code i}'s system. */
  public ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  /** Node {@code i}'s address — in-JVM nodes have no name, this is what names them. */
  public String address(int i) {
    return ClusterTestKits.address(nodes.get(i)).toString();
  }

  /** Stops the nodes still running, then the store. */
  public void stop() throws Exception {
    ClusterTestKits.stop(nodes.stream().filter(n -> !n.system().whenTerminated().isCompleted())
        .toList());
    store.close();
  }

  /**
   * The process as {@code GET /ssi/processes/{pid}} shows it, asked through node {@code via},
   * once {@code ready} holds (within {@code wait}).
   */
  public ProcessInfo awaitInfo(int via, long pid, Predicate<ProcessInfo> ready, Duration wait) {
    return nodes.get(via).createTestProbe().awaitAssert(wait, () -> {
      Optional<Processes.Found> f = Processes.get(sys(via)).find(pid).toCompletableFuture()
          .get(wait.toSeconds(), TimeUnit.SECONDS);
      ProcessInfo info = f.map(Processes.Found::info).orElse(null);
      if (info == null || !ready.test(info)) {
        throw new AssertionError("process " + pid + " not there yet: " + info);
      }
      return info;
    });
  }

  /** The whole cluster file at {@code path}, read through node {@code via} ("" if none). */
  public String read(int via, String path) throws Exception {
    ActorSystem<?> s = sys(via);
    Reply<DirEntry> e = Namespace.get(s).resolve(path).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    if (!e.isOk()) {
      return "";
    }
    GlobalFileHandle fh = Namespace.handle(e.value());
    Reply<FileStat> st = Files.get(s).stat(fh).toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (!st.isOk()) {
      throw new AssertionError("stat " + path + ": " + st.errno());
    }
    Reply<byte[]> data = Files.get(s).read(fh, 0, (int) st.value().length())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (!data.isOk()) {
      throw new AssertionError("read " + path + ": " + data.errno());
    }
    return new String(data.value(), StandardCharsets.US_ASCII);
  }
}
