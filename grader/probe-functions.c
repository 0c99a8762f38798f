/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-functions.c: the functions a probe hands to a student's function
 * (see probe-functions.h). */
#include <config.h>

#include <math.h>

#include "probe-functions.h"

int
nng_fn_check(int64_t kind, const gsl_vector *p)
{
  size_t n = p != NULL ? p->size : 0;
  switch (kind) {
  case NNG_FN_SIN:
    return n >= 2 ? 0 : -1;
  case NNG_FN_EXP:
    return n >= 1 ? 0 : -1;
  default:
    return 0;  /* no parameters, or an unknown kind, whose value is NaN */
  }
}

double
nng_fn_eval(double x, void *params)
{
  nng_fn *s = params;
  s->evaluations++;
  switch (s->kind) {
  case NNG_FN_POLY: {
    double v = 0.0;  /* Horner, highest power first */
    for (size_t k = s->p->size; k-- > 0;)
      v = v * x + gsl_vector_get(s->p, k);
    return v;
  }
  case NNG_FN_SIN:
    return sin(gsl_vector_get(s->p, 0) * x + gsl_vector_get(s->p, 1));
  case NNG_FN_EXP:
    return exp(gsl_vector_get(s->p, 0) * x);
  case NNG_FN_QUADRATIC:
    return 3.0 * x * x - 3.0 * x + 4.0;
  case NNG_FN_WAVY:
    return cos(2.0 * M_PI * x) + x * x;
  default:
    return NAN;
  }
}

double
nng_fn_deriv(double x, void *params)
{
  nng_fn *s = params;
  s->evaluations++;
  switch (s->kind) {
  case NNG_FN_POLY: {
    double v = 0.0;
    for (size_t k = s->p->size; k-- > 1;)
      v = v * x + (double) k * gsl_vector_get(s->p, k);
    return v;
  }
  case NNG_FN_SIN:
    return gsl_vector_get(s->p, 0) * cos(gsl_vector_get(s->p, 0) * x + gsl_vector_get(s->p, 1));
  case NNG_FN_EXP:
    return gsl_vector_get(s->p, 0) * exp(gsl_vector_get(s->p, 0) * x);
  case NNG_FN_QUADRATIC:
    return 6.0 * x - 3.0;
  case NNG_FN_WAVY:
    return -2.0 * M_PI * sin(2.0 * M_PI * x) + 2.0 * x;
  default:
    return NAN;
  }
}

void
nng_fn_fdf(double x, void *params, double *f, double *df)
{
  *f = nng_fn_eval(x, params);
  *df = nng_fn_deriv(x, params);
}
