/**
 * Processes that migrate piece by piece: a resumable program, an address space that is a VM
 * object (so memory follows by demand through coherence), and fd drivers as child actors that
 * move one at a time or stay where their storage is. (Filled in by the process issue; a
 * placeholder in the reactor until then.)
 */
package ssi.process;
