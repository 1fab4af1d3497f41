/**
 * HTTP views of the node-internal core (DESIGN §11): {@code /ssi/cpus}, {@code /ssi/bgl} and
 * {@code /ssi/ports} show the CPUs' IPI traffic, which subsystems still run under the BGL and what
 * that costs, and the busiest LWKT ports, so a user can watch DragonFly's mechanisms at work.
 */
package ssi.cluster.lwkt;
