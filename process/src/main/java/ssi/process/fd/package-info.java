/**
 * fd drivers: the child actors behind a process's descriptors ({@code file}, {@code pipe} ends,
 * {@code tty}, {@code socket}), the operations they take through their ports, and the state they
 * hand over when they move to another node one at a time ({@link ssi.process.fd.FdDriver}).
 * Sockets never move: their TCP I/O runs on the {@code net} subsystem's protocol threads
 * ({@link ssi.process.fd.Sockets}) of the node that opened them.
 */
package ssi.process.fd;
