/**
 * The node's {@code /ssi/...} HTTP interface on Akka Management: one route provider that gathers
 * each module's {@link ssi.cluster.http.SsiRouteContributor}, JSON bodies through one Jackson
 * mapper, and JSON errors for every refused request.
 */
package ssi.cluster.http;
