package ssi.cluster.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code ssi.serialization} settings: the registered classes with their wire ids, the
 * Kryo pool size and the largest message accepted.
 *
 * @param classes class name to registration id, as configured (every node must agree)
 * @param poolSize Kryo instances kept for reuse
 * @param maxMessageBytes the largest serialized message; bigger ones are refused
 */
public record SerializationSettings(Map<String, Integer> classes, int poolSize, int maxMessageBytes) {

  /** Ids below this are the serializer's own built-in registrations. */
  public static final int FIRST_USER_ID = 100;

  /** Reads {@code ssi.serialization} from a node's config. */
  public static SerializationSettings from(Config config) {
    Config c = config.getConfig("ssi.serialization");
    Map<String, Integer> classes = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getObject("classes").entrySet()) {
      Object id = e.getValue().unwrapped();
      if (!(id instanceof Number n) || n.intValue() < FIRST_USER_ID) {
        throw new IllegalArgumentException("ssi.serialization.classes: id of " + e.getKey()
            + " must be an integer >= " + FIRST_USER_ID + ", got " + id);
      }
      classes.put(e.getKey(), n.intValue());
    }
    return new SerializationSettings(Map.copyOf(classes), c.getInt("pool-size"),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-message-size")));
  }
}
