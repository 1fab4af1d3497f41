package ssi.cache.store;

/** What a VM object backs; stored with the object so a restarted cluster knows its objects. */
public enum ObjectKind {
  /** A regular file's data. */
  FILE,
  /** A directory's entries. */
  DIRECTORY,
  /** Anonymous memory: part of a process address space. */
  MEMORY
}
