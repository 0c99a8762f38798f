/* probe.h: the probe, the only program that runs student code.
 *
 * A probe is built for each submitted exercise by linking the student's
 * object file with this exercise's dispatcher (probe-exNN.c) and the common
 * main (probe-main.c). It reads requests on file descriptor NNG_PROBE_IN,
 * calls the student's function, and writes the reply on NNG_PROBE_OUT, until
 * nngrade closes the request pipe. It decides nothing: see proto.h.
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

#endif /* NNG_PROBE_H */
