/**
 * The file API usable on any node ({@link ssi.files.api.Files}): data through the page cache,
 * length and mtime in the page store's object row, length changes serialized by the object's
 * {@link ssi.files.api.FileObject} entity.
 */
package ssi.files.api;
