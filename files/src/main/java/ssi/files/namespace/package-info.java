/**
 * The cluster-wide namespace: {@link ssi.files.namespace.Directory} entities (one per directory,
 * Cluster Sharding) over the page store's {@code ssi_dir_entries} table, and the
 * {@link ssi.files.namespace.Namespace} API that resolves paths and validates names.
 */
package ssi.files.namespace;
