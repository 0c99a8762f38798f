/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe.h: the probe, the only program that runs student code.
 *
 * A probe is built for each submitted exercise by linking the student's
 * object file with this exercise's dispatcher (generated from its table of
 * calls, exercises/exNN/calls: see calls.awk) and the common
 * main (probe-main.c). It reads requests on file descriptor NNG_PROBE_IN,
 * calls the student's function, and writes the reply on NNG_PROBE_OUT, until
 * nngrade closes the request pipe. It decides nothing: see proto.h.
 *
 * While the student's function runs, the probe watches it (probe-watch.c):
 * it counts the bytes the call allocates and does not free, and records the
 * first invalid-argument error a GSL function raised (gsl_matrix_set with an
 * index out of range: GSL refuses the write and calls the error handler,
 * which in a probe returns instead of aborting, so the call goes on). After
 * the outputs, every reply carries what was seen, for nngrade to judge:
 *
 *   function  string: the GSL function that raised the error ("" if none)
 *   reason    string: GSL's reason ("first index out of range")
 *   file      string, line int: where GSL raised it
 *   errno     int: its GSL code, 0 when no error was seen
 *   leaked    int: bytes allocated during the call and not freed
 *   blocks    int: how many allocations those bytes are
 *   complete  int: 1, or 0 when the call made too many allocations to follow
 *             them all (the counts are then a lower bound)
 *   start     int: the offset of the first of these values in the reply,
 *             always the last value, so that nngrade finds the record
 *             without knowing the outputs
 */
#ifndef NNG_PROBE_H
#define NNG_PROBE_H

#include <stdint.h>
#include "proto.h"

#define NNG_PROBE_IN 3
#define NNG_PROBE_OUT 4

/* Status a probe replies with when the request itself was malformed. */
#define NNG_PROBE_BAD_REQUEST (-1000)

/* Run call FN with the arguments that follow in REQ; put the status and the
 * outputs in REP. Defined by each exercise's dispatcher. */
void nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep);

/* The watch (probe-watch.c). Init once, before any request: it installs the
 * GSL error handler. Reset before each request; the dispatcher wraps every
 * call of a student's function in NNG_PROBE_CALL; append adds the record
 * above to the reply. */
void nng_probe_watch_init(void);
void nng_probe_watch_reset(void);
void nng_probe_watch_begin(void);
int nng_probe_watch_end(int status);
void nng_probe_watch_append(nng_msg *rep);

/* Watch one call of a student's function that returns a status. */
#define NNG_PROBE_CALL(call) (nng_probe_watch_begin(), nng_probe_watch_end(call))

#endif /* NNG_PROBE_H */
