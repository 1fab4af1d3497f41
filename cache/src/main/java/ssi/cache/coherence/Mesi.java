package ssi.cache.coherence;

/** A page's coherence state on one node: Modified, Exclusive, Shared, Invalid. */
public enum Mesi {
  I, S, E, M;

  /** Whether a read can be served locally. */
  public boolean readable() {
    return this != I;
  }

  /** Whether this node is the page's single owner (E or M). */
  public boolean exclusive() {
    return this == E || this == M;
  }
}
