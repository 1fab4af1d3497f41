/** The mesh across real node JVMs: exactly one reply per message, also when a node dies. */
package ssi.multijvm.mesh;
