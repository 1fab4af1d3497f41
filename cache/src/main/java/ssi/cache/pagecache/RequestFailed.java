package ssi.cache.pagecache;

import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;

/**
 * The directory could not serve request {@code txn} for a page (its backing store is
 * unreachable): the node completes the operations waiting for it with {@code errno}.
 *
 * @param obj the object
 * @param page the page
 * @param txn the request
 * @param dirGen the directory incarnation
 * @param errno why (EIO)
 */
public record RequestFailed(long obj, long page, long txn, long dirGen, Errno errno)
    implements SsiMessage {
}
