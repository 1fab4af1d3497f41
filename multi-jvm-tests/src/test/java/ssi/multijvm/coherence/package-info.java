/**
 * MESI coherence across real node JVMs, driven over the raw object routes: single-copy semantics,
 * concurrent writers to one page, {@code kill -9} of a node holding dirty pages, fencing of a
 * paused node's late write-back, and bad input refused without a change.
 */
package ssi.multijvm.coherence;
