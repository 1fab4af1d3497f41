/** Processes and live migration across real node JVMs: under load, on failures, and drain. */
package ssi.multijvm.process;
