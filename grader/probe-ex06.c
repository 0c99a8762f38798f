/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex06.c: the probe's side of exercise 6 (see calls-ex06.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include "exercise6.h"
#include "calls-ex06.h"
#include "probe.h"

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_vector *p = NULL, *g = NULL, *z = NULL;
  gsl_matrix *path = NULL;
  double value, lr;
  int64_t ascent;

  switch (fn) {
  case NNG_EX6_PEAKS:
    if (nng_msg_get_vector_alloc(req, &p) || nng_msg_get_double(req, &value))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex6_peaks(p, &value)));
    nng_msg_put_double(rep, value);
    goto done;

  case NNG_EX6_GRADIENT:
    if (nng_msg_get_vector_alloc(req, &p) || nng_msg_get_vector_alloc(req, &g))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex6_peaks_gradient(p, g)));
    nng_msg_put_vector(rep, g);
    goto done;

  case NNG_EX6_STEP:
    if (nng_msg_get_vector_alloc(req, &p) || nng_msg_get_vector_alloc(req, &g)
        || nng_msg_get_double(req, &lr) || nng_msg_get_int(req, &ascent))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex6_step(p, g, lr, (int) ascent)));
    nng_msg_put_vector(rep, p);
    goto done;

  case NNG_EX6_DESCEND:
    if (nng_msg_get_vector_alloc(req, &p) || nng_msg_get_double(req, &lr)
        || nng_msg_get_int(req, &ascent) || nng_msg_get_matrix_alloc(req, &path)
        || nng_msg_get_vector_alloc(req, &z))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex6_descend(p, lr, (int) ascent, path, z)));
    nng_msg_put_matrix(rep, path);
    nng_msg_put_vector(rep, z);
    goto done;

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_vector_free(p);
  gsl_vector_free(g);
  gsl_vector_free(z);
  gsl_matrix_free(path);
}
