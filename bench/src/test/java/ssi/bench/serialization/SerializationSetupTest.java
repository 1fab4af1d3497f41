package ssi.bench.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssi.actors.SsiMessage;

/** The sample set is registered with the Kryo serializer and round-trips through both codecs. */
class SerializationSetupTest {

  private static SerializationSetup setup;

  @BeforeAll
  static void start() {
    setup = SerializationSetup.start();
  }

  @AfterAll
  static void stop() {
    setup.close();
  }

  @Test
  void theSetHasOneMessageWithAPageAndRealReplyRefs() {
    List<SsiMessage> set = setup.messages();
    assertEquals(1, set.stream().filter(SampleMessages.PageGrant.class::isInstance).count());
    assertTrue(setup.kryoSerializerName().endsWith("KryoSerializer"), setup.kryoSerializerName());
  }

  @Test
  void everyMessageRoundTripsThroughKryo() throws Exception {
    roundTrips(setup.kryo());
  }

  @Test
  void everyMessageRoundTripsThroughJackson() throws Exception {
    roundTrips(setup.jackson());
  }

  private static void roundTrips(MessageCodec codec) throws Exception {
    for (SsiMessage m : setup.messages()) {
      assertEquals(m, codec.decode(codec.encode(m), m.getClass()), codec.name());
    }
  }
}
