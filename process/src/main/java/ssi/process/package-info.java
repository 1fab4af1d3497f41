/**
 * Processes and piecemeal migration (DESIGN §10): programs ({@code program}), fd drivers
 * ({@code fd}), the process actor and tables ({@code core}), migration events ({@code migration})
 * and the HTTP routes ({@code http}). Settings: {@link ssi.process.ProcessSettings}.
 */
package ssi.process;
