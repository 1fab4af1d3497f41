package ssi.node;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import ssi.actors.bgl.Domains;
import ssi.actors.cpu.Cpus;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.PageStores;
import ssi.cluster.mesh.Mesh;

/**
 * The node's guardian. It only wires things up: each subsystem starts its own actors (mostly as
 * Akka extensions, reachable from any part of the node), so the guardian holds no protocol.
 */
final class NodeGuardian {

  private NodeGuardian() {
  }

  static Behavior<Void> create() {
    return Behaviors.setup(context -> {
      // The node's CPUs and BGL domains, then the mesh, whose endpoints must exist before
      // other nodes send to this one.
      Cpus.get(context.getSystem());
      Domains.get(context.getSystem());
      Mesh.get(context.getSystem());
      // The page store (when ssi.store.url is set), then the page cache, which registers the
      // backing-store entities with Cluster Sharding and publishes its mesh port.
      PageStores.get(context.getSystem());
      PageCache.get(context.getSystem());
      // The files layer's sharded entities: directories and the per-file length keepers.
      ssi.files.namespace.Directory.init(context.getSystem());
      ssi.files.locks.FileObject.init(context.getSystem());
      // Processes: the node's process table and migration log.
      ssi.process.core.Processes.get(context.getSystem());
      context.getLog().debug("node guardian started");
      return Behaviors.empty();
    });
  }
}
