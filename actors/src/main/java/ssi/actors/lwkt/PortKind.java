package ssi.actors.lwkt;

/** The kinds of port of DESIGN §3, after DragonFly's port types. */
public enum PortKind {
  /** Owned by one LWKT thread; only that thread (on its CPU) may take messages from it. */
  THREAD,
  /** One message at a time, in arrival order: the default actor semantics. */
  SERIALIZER,
  /** Receives replies only; {@code domsg}/{@code sendmsg} to it fail with {@link Errno#EINVAL}. */
  REPLY_ONLY
}
