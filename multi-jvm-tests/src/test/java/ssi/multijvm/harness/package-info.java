/**
 * The multi-JVM test harness: real node JVMs started from the test class path on free loopback
 * ports, sharing one embedded PostgreSQL page store per cluster, driven over their management
 * HTTP interface, killed by PID, and always cleaned up.
 */
package ssi.multijvm.harness;
