/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex07.c: the probe's side of exercise 7 (see calls-ex07.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include "exercise7.h"
#include "calls-ex07.h"
#include "probe.h"

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_matrix *X = NULL, *W = NULL, *dY = NULL, *dX = NULL, *dW = NULL;
  gsl_vector *db = NULL;
  double a, b, c, dc, da, dbv;
  int64_t flag;

  switch (fn) {
  case NNG_EX7_ADD:
    if (nng_msg_get_double(req, &dc) || nng_msg_get_double(req, &da)
        || nng_msg_get_double(req, &dbv))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex7_add_backward(dc, &da, &dbv)));
    nng_msg_put_double(rep, da);
    nng_msg_put_double(rep, dbv);
    goto done;

  case NNG_EX7_MUL:
    if (nng_msg_get_double(req, &a) || nng_msg_get_double(req, &b)
        || nng_msg_get_double(req, &dc) || nng_msg_get_double(req, &da)
        || nng_msg_get_double(req, &dbv) || nng_msg_get_int(req, &flag))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex7_mul_backward(a, b, dc, &da,
                                                         flag ? &da : &dbv)));
    nng_msg_put_double(rep, da);
    nng_msg_put_double(rep, flag ? da : dbv);
    goto done;

  case NNG_EX7_TANH:
    if (nng_msg_get_double(req, &c) || nng_msg_get_double(req, &dc)
        || nng_msg_get_double(req, &da))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex7_tanh_backward(c, dc, &da)));
    nng_msg_put_double(rep, da);
    goto done;

  case NNG_EX7_DENSE:
    if (nng_msg_get_matrix_alloc(req, &X) || nng_msg_get_matrix_alloc(req, &W)
        || nng_msg_get_matrix_alloc(req, &dY) || nng_msg_get_int(req, &flag)
        || (flag && nng_msg_get_matrix_alloc(req, &dX))
        || nng_msg_get_matrix_alloc(req, &dW) || nng_msg_get_vector_alloc(req, &db))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex7_dense_backward(X, W, dY, flag ? dX : NULL,
                                                           dW, db)));
    if (flag)
      nng_msg_put_matrix(rep, dX);
    nng_msg_put_matrix(rep, dW);
    nng_msg_put_vector(rep, db);
    goto done;

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_matrix_free(X);
  gsl_matrix_free(W);
  gsl_matrix_free(dY);
  gsl_matrix_free(dX);
  gsl_matrix_free(dW);
  gsl_vector_free(db);
}
