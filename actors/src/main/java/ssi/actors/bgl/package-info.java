/**
 * BGL domains (DESIGN §5). DragonFly started from one Big Giant Lock around the kernel and took
 * subsystems out from under it one at a time, the network stack first, onto protocol threads of
 * their own. Here the BGL is one actor per node that runs covered subsystems' work one operation
 * at a time; a removed subsystem runs on its own LWKT protocol threads (one per CPU for
 * {@code net}), and {@code /ssi/bgl} shows which is which and what it costs.
 */
package ssi.actors.bgl;
