package ssi.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ssi} command ({@code bin/ssi} runs it): start, inspect and stop a local cluster, and
 * later drive files and processes through the nodes' HTTP interface. One class per sub-command;
 * add a new one to {@code subcommands} below.
 */
@Command(name = "ssi", mixinStandardHelpOptions = true, versionProvider = Ssi.Version.class,
    description = "Control a single-system-image cluster of JVM nodes.",
    subcommands = {UpCommand.class, StatusCommand.class, DownCommand.class, DemoCommand.class})
public final class Ssi implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Ssi()).execute(args));
  }

  /** Prints the project version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ssi " + ssi.cluster.node.NodeSettings.version()};
    }
  }
}
