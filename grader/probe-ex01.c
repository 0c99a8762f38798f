/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-ex01.c: the probe's side of exercise 1 (see calls-ex01.h).
 *
 * Unpacks the arguments, calls the student's function, packs the status and
 * the outputs. Nothing here judges the answer.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_poly.h>

#include "exercise1.h"
#include "calls-ex01.h"
#include "probe.h"

/* The function a central difference is asked about, and how often it ran. */
struct fn_spec {
  int64_t kind;
  gsl_vector *p;
  int64_t evaluations;
};

static double
eval_fn(double x, void *params)
{
  struct fn_spec *s = params;
  s->evaluations++;
  switch (s->kind) {
  case NNG_FN_POLY:
    return s->p->size ? gsl_poly_eval(s->p->data, (int) s->p->size, x) : 0.0;
  case NNG_FN_SIN:
    return sin(gsl_vector_get(s->p, 0) * x + gsl_vector_get(s->p, 1));
  case NNG_FN_EXP:
    return exp(gsl_vector_get(s->p, 0) * x);
  default:
    return NAN;
  }
}

void
nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)
{
  gsl_vector *x = NULL, *y = NULL;
  gsl_matrix *W = NULL;
  double a, h, result;
  int64_t kind, alias;

  switch (fn) {
  case NNG_EX1_DOT:
    if (nng_msg_get_vector_alloc(req, &x) || nng_msg_get_vector_alloc(req, &y)
        || nng_msg_get_double(req, &result))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex1_dot(x, y, &result)));
    nng_msg_put_double(rep, result);
    goto done;

  case NNG_EX1_MATVEC:
    if (nng_msg_get_matrix_alloc(req, &W) || nng_msg_get_vector_alloc(req, &x)
        || nng_msg_get_vector_alloc(req, &y))
      break;
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex1_matvec(W, x, y)));
    nng_msg_put_vector(rep, y);
    goto done;

  case NNG_EX1_CENTRAL: {
    struct fn_spec spec = {0, NULL, 0};
    if (nng_msg_get_int(req, &kind) || nng_msg_get_vector_alloc(req, &x)
        || nng_msg_get_double(req, &a) || nng_msg_get_double(req, &h)
        || nng_msg_get_double(req, &result))
      break;
    if ((kind == NNG_FN_SIN && x->size < 2) || (kind == NNG_FN_EXP && x->size < 1))
      break;
    spec.kind = kind;
    spec.p = x;
    gsl_function f = {eval_fn, &spec};
    nng_msg_put_int(rep, NNG_PROBE_CALL(ex1_central_difference(&f, a, h, &result)));
    nng_msg_put_double(rep, result);
    nng_msg_put_int(rep, spec.evaluations);
    goto done;
  }

  case NNG_EX1_POLYDER:
    if (nng_msg_get_vector_alloc(req, &x) || nng_msg_get_vector_alloc(req, &y)
        || nng_msg_get_int(req, &alias))
      break;
    if (alias) {
      nng_msg_put_int(rep, NNG_PROBE_CALL(ex1_poly_derivative(x, x)));
      nng_msg_put_vector(rep, x);
    } else {
      nng_msg_put_int(rep, NNG_PROBE_CALL(ex1_poly_derivative(x, y)));
      nng_msg_put_vector(rep, y);
    }
    goto done;

  default:
    break;
  }
  nng_msg_clear(rep);
  nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);
done:
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(W);
}
