/** The page store across real node JVMs: reported by every node, lost and recovered. */
package ssi.multijvm.store;
