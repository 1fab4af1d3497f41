/** Cluster formation, crash and rejoin across real node JVMs. */
package ssi.multijvm.cluster;
