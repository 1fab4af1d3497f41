package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.store.StoreTestSupport.await;
import static ssi.cache.store.StoreTestSupport.ok;
import static ssi.cache.store.StoreTestSupport.page;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/** Inside an ActorSystem the store takes its settings from config and runs on its dispatcher. */
@ExtendWith(LogCapture.class)
class StoreDispatcherTest {

  private static EmbeddedStore postgres;
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedStore.startTemporary();
    // As a node's application.conf would set them: resolved over reference.conf.
    testKit = ActorTestKit.create(ConfigFactory.load(ConfigFactory.parseMap(
        Map.of("ssi.store.url", postgres.url(), "ssi.store.pool-size", 3))));
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    postgres.close();
  }

  @Test
  void jdbcRunsOnTheNamedBlockingDispatcher() {
    StoreSettings settings = StoreSettings.from(testKit.system().settings().config());
    assertEquals(postgres.url(), settings.url());
    assertEquals(3, settings.poolSize());
    assertEquals(3, testKit.system().settings().config()
        .getInt(JdbcPageStore.DISPATCHER + ".thread-pool-executor.fixed-pool-size"),
        "one dispatcher thread per pooled connection, following ssi.store.pool-size");

    try (JdbcPageStore store = JdbcPageStore.open(testKit.system())) {
      ok(store.createObject(1, ObjectKind.FILE));
      // Callbacks registered while the writes are queued run where the commit completes them.
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<CompletionStage<Reply<Void>>> stages = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        stages.add(store.writePages(1, List.of(page(1, i, 1, store.pageSize())))
            .whenComplete((r, e) -> threads.add(Thread.currentThread().getName())));
      }
      stages.forEach(s -> assertEquals(Errno.OK, await(s).errno()));
      assertTrue(threads.stream().anyMatch(t -> t.contains(JdbcPageStore.DISPATCHER)),
          "commits ran on " + threads);
    }
  }
}
