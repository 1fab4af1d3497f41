package ssi.bench.serialization;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import ssi.actors.SsiMessage;

/**
 * Serialize + deserialize throughput of the whole sample set ({@link SampleMessages#set}), one
 * operation being a round trip of all 9 messages: the project's Kryo serializer through Akka
 * ({@link #kryo}) against Jackson ({@link #jackson}), both in the same run. The {@code
 * serialization} suite runs it and reports {@code kryo-vs-jackson-ops} = kryo / jackson; the
 * annotations below are the full run's settings.
 *
 * <p>Run it alone (after {@code bench/run} or {@code mvn -B -q -DskipTests install} built the jar):
 * <pre>
 * java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main SerializationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 2)
public class SerializationBenchmark {

  private SerializationSetup setup;
  private SsiMessage[] messages;
  private MessageCodec kryo;
  private MessageCodec jackson;

  /** Starts the actor system and builds the messages and both codecs. */
  @Setup(Level.Trial)
  public void start() {
    setup = SerializationSetup.start();
    List<SsiMessage> set = setup.messages();
    messages = set.toArray(new SsiMessage[0]);
    kryo = setup.kryo();
    jackson = setup.jackson();
  }

  /** Terminates the actor system. */
  @TearDown(Level.Trial)
  public void stop() {
    setup.close();
  }

  /** A round trip of the set through the project's Kryo serializer. */
  @Benchmark
  public void kryo(Blackhole bh) throws Exception {
    roundTrip(kryo, bh);
  }

  /** A round trip of the set through Jackson. */
  @Benchmark
  public void jackson(Blackhole bh) throws Exception {
    roundTrip(jackson, bh);
  }

  private void roundTrip(MessageCodec codec, Blackhole bh) throws Exception {
    for (SsiMessage m : messages) {
      bh.consume(codec.decode(codec.encode(m), m.getClass()));
    }
  }
}
