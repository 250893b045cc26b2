/* lt_par.h — when a loop that runs once an hour is worth a parallel region.
 *
 * Every OpenMP parallel region ends at a barrier that waits for its slowest
 * thread. On a machine where another process keeps a core busy, a thread
 * that has lost its core arrives a scheduler time slice late (milliseconds),
 * so a region whose work is shorter than that costs more with two threads
 * than with one: measured on the city-year case (make bench), the per-hour
 * regions made --threads 2 slower than --threads 1 under load. The solver
 * therefore disperses blocks of hours in one region (run/solver.c), and the
 * loops that run once an hour over a plane go parallel only when their work,
 * in element operations, is at least LT_PAR_MIN_WORK: about 10 ms of one
 * core's memory-bound adds, long beside a time slice. */
#ifndef LT_PAR_H
#define LT_PAR_H

#define LT_PAR_MIN_WORK 1.0e7

#endif
