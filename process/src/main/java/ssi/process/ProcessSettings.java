package ssi.process;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The process module's settings ({@code ssi.process.*}, documented with their defaults in this
 * module's {@code reference.conf}).
 *
 * @param blockPoll how long a driver holds a read with nothing to give (or a write to a full
 *     pipe) before answering EAGAIN; the process then asks again, so a blocked process reaches a
 *     step boundary (where it can migrate) at least this often
 * @param pipeBuffer the capacity of a pipe's buffer in bytes
 * @param ttyHistory the bytes of terminal output a tty keeps for {@code ssi attach}
 * @param fileDriverStays whether a file driver stays on its node when its process migrates
 * @param askTimeout how long a control request (spawn, adopt, quiesce, info) may take
 * @param migrateTimeout how long a migrate (or drain) request waits for the migration to end;
 *     a target that stops answering is given up only once the cluster removes it
 * @param maxExited exited processes each node keeps for {@code GET /ssi/processes}
 * @param maxMigrations migrations each node keeps for {@code GET /ssi/migrations}
 * @param socketPoll how often a socket driver with a blocked accept, read or write looks at its
 *     channel again (socket I/O never blocks a protocol thread, so it polls)
 * @param redirectIdleTimeout how long the redirecting stub a moved driver leaves on its old node
 *     lives without traffic when not every party has said it knows the new address
 */
public record ProcessSettings(Duration blockPoll, int pipeBuffer, int ttyHistory,
    boolean fileDriverStays, Duration askTimeout, Duration migrateTimeout, int maxExited,
    int maxMigrations, Duration socketPoll, Duration redirectIdleTimeout) {

  /** Reads {@code ssi.process}. */
  public static ProcessSettings from(Config config) {
    Config c = config.getConfig("ssi.process");
    return new ProcessSettings(c.getDuration("block-poll"), (int) c.getBytes("pipe-buffer")
        .longValue(), (int) c.getBytes("tty-history").longValue(),
        c.getBoolean("file-driver-stays"), c.getDuration("ask-timeout"),
        c.getDuration("migrate-timeout"), c.getInt("max-exited"),
        c.getInt("max-migrations"), c.getDuration("socket-poll"),
        c.getDuration("redirect-idle-timeout"));
  }
}
