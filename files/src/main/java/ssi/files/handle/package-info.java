/** Global file handles: (object id, generation), valid on every node, ESTALE once stale. */
package ssi.files.handle;
