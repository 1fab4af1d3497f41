package ssi.multijvm.harness;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands each test a fresh {@link TestCluster} (a test parameter) and,
 * after the test, prints the nodes' log tails if it failed and always stops every node JVM.
 *
 * <pre>{@code
 * @ExtendWith(MultiJvm.class)
 * class FooTest {
 *   @Test void foo(TestCluster cluster) throws Exception { cluster.start(3); ... }
 * }
 * }</pre>
 */
public final class MultiJvm implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MultiJvm.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    try {
      String name = c.getRequiredTestClass().getSimpleName() + "-" + c.getRequiredTestMethod().getName();
      TestCluster cluster = TestCluster.create(name);
      c.getStore(NS).put("cluster", cluster);
      return cluster;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot prepare the test cluster", e);
    }
  }

  @Override
  public void afterEach(ExtensionContext c) throws Exception {
    TestCluster cluster = c.getStore(NS).remove("cluster", TestCluster.class);
    if (cluster == null) {
      return;
    }
    try {
      if (c.getExecutionException().isPresent()) {
        cluster.printLogTails(40);
      }
    } finally {
      cluster.close();
    }
  }
}
