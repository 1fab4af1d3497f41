/**
 * The {@code mesh} suite ({@link ssi.bench.mesh.MeshSuite}): two nodes (cluster actor systems over
 * real Artery TCP on loopback, in this JVM) compared with their baselines in the same run — proxy
 * port round trips against raw Artery asks ({@link ssi.bench.mesh.RoundTrips}), bulk page transfer
 * on the mesh's large-message channel against a plain socket stream to a second JVM ({@link
 * ssi.bench.mesh.BulkTransfer}, {@link ssi.bench.mesh.TcpStream}), and the round-trip p99 with a
 * bulk transfer running against idle.
 */
package ssi.bench.mesh;
