package ssi.cluster.node;

import java.util.List;

/**
 * What {@code GET /ssi/node} answers: who this node is and how it is doing.
 *
 * @param name the node's SSI name ({@code ssi.node.name})
 * @param address the Akka cluster address, e.g. {@code akka://ssi@127.0.0.1:25520}
 * @param status the member status as the cluster sees it ({@code Up}, {@code Joining}, ...),
 *     or {@code Removed} before joining / after leaving
 * @param roles the cluster roles
 * @param cpus the number of CPU actors ({@code ssi.cpus})
 * @param uptimeSeconds seconds since the actor system started
 * @param version the project version of the running node
 */
public record NodeInfo(String name, String address, String status, List<String> roles, int cpus,
    long uptimeSeconds, String version) {
}
