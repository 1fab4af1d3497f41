package ssi.process.migration;

import ssi.actors.SsiMessage;

/**
 * The answer to a migrate request: the completed migration, or why it did not happen
 * ({@code status}: an HTTP-like code — 404 unknown node, 409 conflict, 503 target failed).
 */
public record MigrationResult(int status, String error, MigrationRecord record)
    implements SsiMessage {

  /** A completed (or ended) migration. */
  public static MigrationResult done(MigrationRecord r) {
    return new MigrationResult(200, null, r);
  }

  /** A refused or failed one. */
  public static MigrationResult failed(int status, String error) {
    return new MigrationResult(status, error, null);
  }
}
