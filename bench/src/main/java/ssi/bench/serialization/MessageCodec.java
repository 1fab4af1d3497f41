package ssi.bench.serialization;

import ssi.actors.SsiMessage;

/** One way of turning a message into bytes and back; the suite compares two of them. */
public interface MessageCodec {

  /** A short name for reports, e.g. {@code kryo}. */
  String name();

  /** Serializes a message. */
  byte[] encode(SsiMessage message) throws Exception;

  /** Deserializes bytes that {@link #encode} produced for a message of the given class. */
  SsiMessage decode(byte[] bytes, Class<? extends SsiMessage> type) throws Exception;
}
