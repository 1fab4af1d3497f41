/**
 * The cluster file system across real node JVMs: UNIX atomicity of reads, writes and appends
 * from every node, files and capabilities over HTTP and through the {@code ssi} commands.
 */
package ssi.multijvm.files;
