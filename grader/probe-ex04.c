/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex04.c: the probe's side of exercise 4 (see calls-ex04.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include "exercise4.h"
#include "calls-ex04.h"
#include "probe.h"

/* The student's losses and gradients share two shapes of call. */
typedef int loss_fn(const gsl_matrix *, const gsl_matrix *, gsl_vector *);
typedef int grad_fn(const gsl_matrix *, const gsl_matrix *, gsl_matrix *);

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_matrix *A = NULL, *Y = NULL, *G = NULL;
  gsl_vector *v = NULL;
  double cost;
  loss_fn *loss = NULL;
  grad_fn *grad = NULL;

  switch (fn) {
  case NNG_EX4_MSE: loss = ex4_mse; break;
  case NNG_EX4_BCE: loss = ex4_bce; break;
  case NNG_EX4_CE: loss = ex4_cross_entropy; break;
  case NNG_EX4_MSE_GRAD: grad = ex4_mse_grad; break;
  case NNG_EX4_BCE_GRAD: grad = ex4_bce_grad; break;
  case NNG_EX4_CE_GRAD: grad = ex4_cross_entropy_grad; break;
  default: break;
  }

  if (loss != NULL) {
    if (nng_msg_get_matrix_alloc(req, &A) || nng_msg_get_matrix_alloc(req, &Y)
        || nng_msg_get_vector_alloc(req, &v))
      goto bad;
    nng_msg_put_int(rep, NNG_PROBE_CALL(loss(A, Y, v)));
    nng_msg_put_vector(rep, v);
    goto done;
  }
  if (grad != NULL) {
    if (nng_msg_get_matrix_alloc(req, &A) || nng_msg_get_matrix_alloc(req, &Y)
        || nng_msg_get_matrix_alloc(req, &G))
      goto bad;
    nng_msg_put_int(rep, NNG_PROBE_CALL(grad(A, Y, G)));
    nng_msg_put_matrix(rep, G);
    goto done;
  }
  if (fn == NNG_EX4_COST) {
    if (nng_msg_get_vector_alloc(req, &v) || nng_msg_get_double(req, &cost))
      goto bad;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex4_cost(v, &cost)));
    nng_msg_put_double(rep, cost);
    goto done;
  }

bad:
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_matrix_free(A);
  gsl_matrix_free(Y);
  gsl_matrix_free(G);
  gsl_vector_free(v);
}
