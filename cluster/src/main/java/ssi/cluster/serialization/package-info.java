/**
 * Serialization of everything that crosses nodes: one Kryo 5 Akka serializer bound to
 * {@link ssi.actors.SsiMessage}, with explicit class registration so a node never instantiates a
 * class named by bytes from the network. Java serialization stays off.
 */
package ssi.cluster.serialization;
