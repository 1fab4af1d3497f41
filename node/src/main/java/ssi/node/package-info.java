/**
 * The runnable node: {@link ssi.node.Main} starts the actor system, Akka Management and Cluster
 * Bootstrap. One node is one JVM; several form the single system image.
 */
package ssi.node;
