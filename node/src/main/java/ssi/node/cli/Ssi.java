package ssi.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ssi} command ({@code bin/ssi} runs it): start, inspect and stop a local cluster, and
 * drive its processes (spawn, ps, migrate, kill, watch, attach, drain) through the nodes' HTTP
 * interface. One class per sub-command; add a new one to {@code subcommands} below.
 */
@Command(name = "ssi", mixinStandardHelpOptions = true, versionProvider = Ssi.Version.class,
    description = "Control a single-system-image cluster of JVM nodes.",
    subcommands = {UpCommand.class, StatusCommand.class, DownCommand.class, PsCommand.class,
        SpawnCommand.class, MigrateCommand.class, KillCommand.class, WatchCommand.class,
        AttachCommand.class, DrainCommand.class, DemoCommand.class, LsCommand.class,
        CatCommand.class, PutCommand.class, StatCommand.class})
public final class Ssi implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(usageExits64(new CommandLine(new Ssi())).execute(args));
  }

  /** Makes a usage error exit 64: 2 means "cannot reach the cluster" for the commands. */
  static CommandLine usageExits64(CommandLine ssi) {
    CommandLine.IParameterExceptionHandler usage = ssi.getParameterExceptionHandler();
    ssi.setParameterExceptionHandler((e, rest) -> {
      usage.handleParseException(e, rest);
      return ClusterCommand.USAGE;
    });
    return ssi;
  }

  /** Prints the project version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ssi " + ssi.cluster.node.NodeSettings.version()};
    }
  }
}
