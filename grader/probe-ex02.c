/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex02.c: the probe's side of exercise 2 (see calls-ex02.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include "exercise2.h"
#include "calls-ex02.h"
#include "probe.h"

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_vector *u = NULL, *v = NULL;
  double a, b, c;
  int64_t kind, mistake_in;

  switch (fn) {
  case NNG_EX2_SUM:  /* w, w0, x, z */
    if (nng_msg_get_vector_alloc(req, &u) || nng_msg_get_double(req, &a)
        || nng_msg_get_vector_alloc(req, &v) || nng_msg_get_double(req, &b))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex2_weighted_sum(u, a, v, &b)));
    nng_msg_put_double(rep, b);
    goto done;

  case NNG_EX2_ACTIVATE:  /* kind, slope, z, a */
  case NNG_EX2_DERIV:     /* kind, slope, z, d */
    if (nng_msg_get_int(req, &kind) || nng_msg_get_double(req, &a)
        || nng_msg_get_vector_alloc(req, &u) || nng_msg_get_vector_alloc(req, &v))
      break;
    if (fn == NNG_EX2_ACTIVATE)
      nng_msg_put_int(rep, NNG_PROBE_CALL(ex2_activate((ex2_activation) kind, a, u, v)));
    else
      nng_msg_put_int(rep, NNG_PROBE_CALL(ex2_activate_deriv((ex2_activation) kind, a,
                                                             u, v)));
    nng_msg_put_vector(rep, v);
    goto done;

  case NNG_EX2_UPDATE: {  /* w, w0, x, y, lr, mistake */
    if (nng_msg_get_vector_alloc(req, &u) || nng_msg_get_double(req, &a)
        || nng_msg_get_vector_alloc(req, &v) || nng_msg_get_double(req, &b)
        || nng_msg_get_double(req, &c) || nng_msg_get_int(req, &mistake_in))
      break;
    int mistake = (int) mistake_in;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex2_perceptron_update(u, &a, v, b, c, &mistake)));
    nng_msg_put_vector(rep, u);
    nng_msg_put_double(rep, a);
    nng_msg_put_int(rep, mistake);
    goto done;
  }

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_vector_free(u);
  gsl_vector_free(v);
}
