package ssi.actors;

/**
 * Marker for every message that may cross nodes. The cluster module binds it to the project's
 * Kryo serializer ({@code akka.actor.serialization-bindings}); a class implementing it must also be
 * registered under {@code ssi.serialization.classes} so a node never instantiates a class merely
 * named by bytes from the network.
 */
public interface SsiMessage {
}
