/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex03.c: the probe's side of exercise 3 (see calls-ex03.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include "exercise3.h"
#include "calls-ex03.h"
#include "probe.h"

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_matrix *X = NULL, *Y = NULL, *W = NULL;
  gsl_vector *u = NULL, *v = NULL;
  gsl_matrix *Ws[NNG_EX3_MAX_LAYERS] = {NULL};
  gsl_vector *bs[NNG_EX3_MAX_LAYERS] = {NULL};
  ex3_layer layers[NNG_EX3_MAX_LAYERS];
  int64_t n = 0, activation;
  double T;

  switch (fn) {
  case NNG_EX3_DENSE:  /* X, W, b, Y */
    if (nng_msg_get_matrix_alloc(req, &X) || nng_msg_get_matrix_alloc(req, &W)
        || nng_msg_get_vector_alloc(req, &u) || nng_msg_get_matrix_alloc(req, &Y))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex3_dense_forward(X, W, u, Y)));
    nng_msg_put_matrix(rep, Y);
    goto done;

  case NNG_EX3_SOFTMAX:  /* z, T, p */
    if (nng_msg_get_vector_alloc(req, &u) || nng_msg_get_double(req, &T)
        || nng_msg_get_vector_alloc(req, &v))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex3_softmax(u, T, v)));
    nng_msg_put_vector(rep, v);
    goto done;

  case NNG_EX3_FORWARD: {  /* L, then (W, b, activation) per layer, X, Y */
    if (nng_msg_get_int(req, &n) || n < 0 || n > NNG_EX3_MAX_LAYERS) {
      n = 0;
      break;
    }
    int ok = 1;
    for (int64_t l = 0; l < n && ok; l++) {
      ok = !nng_msg_get_matrix_alloc(req, &Ws[l]) && !nng_msg_get_vector_alloc(req, &bs[l])
           && !nng_msg_get_int(req, &activation);
      if (ok)
        layers[l] = (ex3_layer) {Ws[l], bs[l], (ex3_activation) activation};
    }
    if (!ok || nng_msg_get_matrix_alloc(req, &X) || nng_msg_get_matrix_alloc(req, &Y))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex3_forward(n > 0 ? layers : NULL, (size_t) n,
                                                    X, Y)));
    nng_msg_put_matrix(rep, Y);
    goto done;
  }

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  for (int64_t l = 0; l < n; l++) {
    gsl_matrix_free(Ws[l]);
    gsl_vector_free(bs[l]);
  }
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  gsl_matrix_free(W);
  gsl_vector_free(u);
  gsl_vector_free(v);
}
