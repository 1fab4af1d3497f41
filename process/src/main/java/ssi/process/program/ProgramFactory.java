package ssi.process.program;

import java.util.List;
import java.util.Map;

/**
 * Makes a {@link Program} by name. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/ssi.process.program.ProgramFactory}); they need a public
 * no-argument constructor.
 */
public interface ProgramFactory {

  /** The name users spawn it by, e.g. {@code counter}. */
  String name();

  /** One line of usage, shown when the arguments are wrong. */
  String usage();

  /**
   * A fresh program for {@code args}; throws {@link IllegalArgumentException} with a message for
   * the user when they are wrong.
   */
  Program create(List<String> args, Map<String, String> env);
}
