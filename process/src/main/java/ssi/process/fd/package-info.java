/**
 * fd drivers: the child actors behind a process's descriptors ({@code file}, {@code pipe} ends,
 * {@code tty}), the operations they take through their ports, and the state they hand over when
 * they move to another node one at a time ({@link ssi.process.fd.FdDriver}).
 */
package ssi.process.fd;
