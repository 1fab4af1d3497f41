package ssi.files.locks;

/**
 * A file's lock server granted this node an extent: {@code [start, end)} ({@code end} =
 * {@link Long#MAX_VALUE}: to the end of the file, whatever its length), shared or exclusive,
 * under the server incarnation {@code epoch}.
 *
 * @param epoch the server incarnation that granted it (a later one revokes it on start)
 * @param id the extent's id, chosen by the node
 * @param exclusive exclusive, or shared
 * @param start the first byte
 * @param end one past the last byte
 */
public record ExtentGrant(long epoch, long id, boolean exclusive, long start, long end) {
}
