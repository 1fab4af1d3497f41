/**
 * The program SPI: a program is a resumable state machine that asks for one system call per step
 * ({@link ssi.process.program.Program}, {@link ssi.process.program.Syscall}); factories are found
 * by {@link java.util.ServiceLoader}.
 */
package ssi.process.program;
