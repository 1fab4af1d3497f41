package ssi.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serializers for the JDK's immutable collections ({@code List.of}, {@code Set.copyOf},
 * {@code Map.of}, {@code Stream.toList}, unmodifiable views...). They travel as a length and the
 * elements and are read back as immutable collections; iteration order is kept for lists and
 * for the sets and maps a message builds.
 */
final class ImmutableCollectionSerializers {

  private ImmutableCollectionSerializers() {
  }

  static final class ListSerializer extends Serializer<List<?>> {
    ListSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, List<?> list) {
      output.writeVarInt(list.size(), true);
      for (Object e : list) {
        kryo.writeClassAndObject(output, e);
      }
    }

    @Override
    public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
      int n = input.readVarInt(true);
      Object[] elements = new Object[n];
      boolean nulls = false;
      for (int i = 0; i < n; i++) {
        elements[i] = kryo.readClassAndObject(input);
        nulls |= elements[i] == null;
      }
      return nulls ? Collections.unmodifiableList(Arrays.asList(elements)) : List.of(elements);
    }
  }

  static final class SetSerializer extends Serializer<Set<?>> {
    SetSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set<?> set) {
      output.writeVarInt(set.size(), true);
      for (Object e : set) {
        kryo.writeClassAndObject(output, e);
      }
    }

    @Override
    public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
      int n = input.readVarInt(true);
      Set<Object> set = new LinkedHashSet<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        set.add(kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableSet(set);
    }
  }

  static final class MapSerializer extends Serializer<Map<?, ?>> {
    MapSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<?, ?> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
      int n = input.readVarInt(true);
      Map<Object, Object> map = new LinkedHashMap<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        Object key = kryo.readClassAndObject(input);
        map.put(key, kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(map);
    }
  }
}
