/**
 * The multi-JVM test harness: real node JVMs started from the test class path on free loopback
 * ports, driven over their management HTTP interface, killed by PID, and always cleaned up.
 */
package ssi.multijvm.harness;
