/**
 * LWKT threads (DESIGN §4). In DragonFly a light-weight kernel thread belongs to one CPU and only
 * that CPU schedules it; it changes CPU only by handing itself over with an IPI. Here a thread is
 * an actor on its CPU's dispatcher with a thread port that only it receives from, and a move is an
 * IPI to the target CPU that starts the thread's successor there without losing or reordering its
 * messages.
 */
package ssi.actors.thread;
