/**
 * The {@code serialization} suite: the project's Kryo serializer (reached through Akka's
 * serialization extension, as Artery reaches it) against Jackson on a representative set of SSI
 * messages ({@link ssi.bench.serialization.SampleMessages}) — serialized size, and
 * serialize+deserialize throughput measured with JMH ({@link
 * ssi.bench.serialization.SerializationBenchmark}).
 */
package ssi.bench.serialization;
