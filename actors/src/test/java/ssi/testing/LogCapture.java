package ssi.testing;

import akka.actor.testkit.typed.internal.CapturingAppender;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that keeps a test's log lines in memory and prints them only when the test
 * fails, so a green build stays quiet and a red one shows everything. Needs the
 * {@code CapturingAppender} of this module's {@code logback-test.xml}.
 *
 * <pre>{@code @ExtendWith(LogCapture.class) class FooTest { ... }}</pre>
 */
public final class LogCapture implements BeforeTestExecutionCallback, AfterTestExecutionCallback {

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    CapturingAppender.get("").clear();
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    CapturingAppender appender = CapturingAppender.get("");
    if (context.getExecutionException().isPresent()) {
      System.out.println("--> [" + context.getDisplayName() + "] failed; its log follows");
      appender.flush();
      System.out.println("<-- [" + context.getDisplayName() + "] end of log");
    }
    appender.clear();
  }
}
