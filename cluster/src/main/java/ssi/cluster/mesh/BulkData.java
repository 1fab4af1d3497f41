package ssi.cluster.mesh;

import ssi.actors.SsiMessage;

/**
 * A generic bulk transfer body: {@code data} for transfer {@code transferId}. At a page or more
 * it travels on the bulk channel. The node that sends it need not be the one that was asked: a
 * requester asks A, A tells B, and B sends the data straight to the requester's port.
 *
 * @param transferId identifies the transfer at the receiving port
 * @param data the bytes
 */
public record BulkData(long transferId, byte[] data) implements SsiMessage, Bulk {

  @Override
  public int bulkBytes() {
    return data.length;
  }
}
