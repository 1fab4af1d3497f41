/**
 * Files of the single system image: global file handles (object id, generation) valid on every
 * node and, as HMAC capabilities, outside the cluster; a cluster-wide namespace of sharded
 * directories; and the file API whose data moves only through the coherence protocol.
 * (Filled in by the files issue; a placeholder in the reactor until then.)
 */
package ssi.files;
