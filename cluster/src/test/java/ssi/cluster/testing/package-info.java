/** Test support shared by the modules above cluster: several cluster nodes in one JVM. */
package ssi.cluster.testing;
