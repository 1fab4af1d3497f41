package ssi.process.program;

/**
 * A program: a resumable state machine. Each {@link #step} returns one {@link Syscall}; the
 * process executes it and calls {@code step} again with its result. Between two steps the
 * program's whole state is its object's fields, which is what lets a process migrate: the object
 * is serialized with the project's Kryo serializer (so register the class under
 * {@code ssi.serialization.classes}, ids 500-599 for the built-ins, 1000+ for yours) and resumed
 * on another node. A step must not block and must not keep references to node-local things.
 *
 * <pre>{@code
 * public final class Hello implements Program {
 *   private int done;
 *   public Syscall step(SysResult last) {
 *     return done++ == 0 ? new Syscall.Write(1, "hello\n".getBytes()) : new Syscall.Exit(0);
 *   }
 * }
 * }</pre>
 */
public interface Program {

  /** The next system call, given the result of the previous one ({@link SysResult#START} first). */
  Syscall step(SysResult last);
}
